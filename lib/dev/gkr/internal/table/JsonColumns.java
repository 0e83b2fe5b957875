package dev.gkr.internal.table;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gkr.internal.common.Json;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * Spreads the top-level fields of JSON object answers into typed columns, so users filter without
 * parsing.
 */
public final class JsonColumns {
  private static final ObjectMapper JSON = Json.MAPPER;

  private JsonColumns() {}

  public static Table flatten(Table results) {
    if (!results.columnNames().contains("json")) return results;
    StringColumn json = results.stringColumn("json");
    List<JsonNode> nodes = new ArrayList<>(json.size());
    Map<String, List<JsonNode>> fields = new LinkedHashMap<>();
    for (int i = 0; i < json.size(); i++) {
      String text = json.get(i);
      JsonNode n = null;
      if (text != null && !text.isEmpty()) {
        try {
          n = JSON.readTree(text);
        } catch (Exception e) {
          n = null;
        }
        if (n != null && !n.isObject())
          return results; // not every answer is an object: leave as is
      }
      nodes.add(n);
      if (n != null) n.fieldNames().forEachRemaining(f -> fields.putIfAbsent(f, null));
    }
    for (String f : fields.keySet()) {
      List<JsonNode> values = new ArrayList<>(nodes.size());
      for (JsonNode n : nodes) values.add(n == null ? null : n.get(f));
      String name = results.columnNames().contains(f) ? "json_" + f : f;
      results.addColumns(column(name, values));
    }
    return results;
  }

  /** Typed like metadata ({@link TypedColumn}); nested values become their JSON text. */
  private static Column<?> column(String name, List<JsonNode> values) {
    List<Object> plain = new ArrayList<>(values.size());
    for (JsonNode v : values) plain.add(JsonTables.value(v));
    return TypedColumn.of(name, plain);
  }
}
