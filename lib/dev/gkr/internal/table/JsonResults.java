package dev.gkr.internal.table;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gkr.internal.common.Json;
import dev.gkr.internal.common.Numbers;
import java.io.IOException;
import java.io.OutputStream;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.FloatColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.ShortColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * Writes a table as JSON Lines or one JSON array, typed the way pandas, Polars and DuckDB read it
 * back: numbers as numbers, booleans as booleans, a missing value (an empty text, NaN) as {@code
 * null}, and the {@code json} column as the parsed value itself rather than a string holding JSON.
 */
public final class JsonResults {
  /**
   * Strict: {@code true story} in a text column named json is text, not {@code true} and an ignored
   * rest.
   */
  private static final ObjectMapper JSON = Json.MAPPER;

  /** An embedding run's vector column: a JSON array in the table, an array of numbers here. */
  static final String EMBEDDING = "embedding";

  private JsonResults() {}

  /**
   * One object per row, each on its own line ({@code array} false), or one array with a row per
   * line.
   */
  public static void write(Table table, OutputStream out, boolean array) throws IOException {
    write(table, out, array, java.util.Set.of());
  }

  /**
   * As above; the text cells of the {@code nested} columns (task metadata that was an object or an
   * array in the tasks file) are written as the JSON they hold, as the {@code json} column is.
   */
  public static void write(
      Table table, OutputStream out, boolean array, java.util.Set<String> nested)
      throws IOException {
    try (JsonGenerator g = JSON.getFactory().createGenerator(out)) {
      g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
      g.setRootValueSeparator(null);
      if (array) g.writeRaw('[');
      for (int row = 0; row < table.rowCount(); row++) {
        if (array) g.writeRaw(row == 0 ? "\n" : ",\n");
        g.writeStartObject();
        for (Column<?> c : table.columns()) {
          g.writeFieldName(c.name());
          value(g, c, row, nested);
        }
        g.writeEndObject();
        if (!array) g.writeRaw('\n');
      }
      if (array) g.writeRaw(table.rowCount() == 0 ? "]\n" : "\n]\n");
    }
  }

  private static void value(JsonGenerator g, Column<?> c, int row, java.util.Set<String> nested)
      throws IOException {
    if (c.isMissing(row)) {
      g.writeNull();
      return;
    }
    switch (c) {
      case BooleanColumn b -> g.writeBoolean(b.get(row));
      case IntColumn i -> g.writeNumber(i.getInt(row));
      case LongColumn l -> g.writeNumber(l.getLong(row));
      case ShortColumn s -> g.writeNumber(s.getShort(row));
      case DoubleColumn d -> finite(g, d.getDouble(row));
      case FloatColumn f -> finite(g, f.getFloat(row));
      default -> {
        String text = c.getString(row);
        if (c.name().equals("json") || c.name().equals(EMBEDDING) || nested.contains(c.name()))
          writeParsed(g, text);
        else g.writeString(text);
      }
    }
  }

  private static void finite(JsonGenerator g, double v) throws IOException {
    if (Double.isFinite(v)) g.writeNumber(Numbers.plainDecimal(v)); // 0.000627, as in the CSV
    else g.writeNull(); // JSON has no NaN or Infinity
  }

  /**
   * The answer parsed once more (it was parsed and repaired when it arrived); text that is not JSON
   * stays text.
   */
  private static void writeParsed(JsonGenerator g, String text) throws IOException {
    JsonNode n;
    try {
      n =
          JSON.reader()
              .with(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
              .readTree(text);
    } catch (IOException e) {
      n = null;
    }
    if (n == null || n.isMissingNode()) g.writeString(text);
    else g.writeTree(n);
  }
}
