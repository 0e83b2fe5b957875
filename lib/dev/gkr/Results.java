package dev.gkr;

import dev.gkr.internal.common.NonClosingStream;
import dev.gkr.internal.common.Numbers;
import dev.gkr.internal.table.DuckDb;
import dev.gkr.internal.table.JsonColumns;
import dev.gkr.internal.table.JsonResults;
import dev.gkr.internal.table.JsonTables;
import dev.gkr.internal.table.ParquetFiles;
import dev.gkr.internal.table.RecordRows;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;
import tech.tablesaw.io.csv.CsvReadOptions;
import tech.tablesaw.io.csv.CsvWriteOptions;

/**
 * Writes a results table (or any table) in the {@link Format} a file name says, and reads such
 * files back:
 *
 * <pre>{@code
 * Table results = Rotator.fromEnv().run(Results.read(Path.of("tasks.parquet")));
 * Results.write(results, Path.of("results.jsonl"));   // or .csv, .json, .parquet
 * }</pre>
 *
 * <p>JSON Lines and JSON keep types: numbers are numbers, {@code success} is a boolean, a missing
 * value is {@code null}, and the {@code json} column is the parsed answer (an object, not a
 * string). Parquet keeps column types too (text, boolean, int32, int64, double; {@code json} as
 * text). Parquet goes through DuckDB's JDBC driver ({@code org.duckdb:duckdb_jdbc:2.0.0.1}), used
 * from the class path when it is there, else loaded from the local Maven repository, else fetched
 * once from Maven Central (77 MiB); the other formats need nothing more. All methods are
 * thread-safe.
 */
public final class Results {
  /**
   * Read from CSV as text, never guessed: an id {@code 007} stays {@code "007"}, an answer {@code
   * 42} stays text.
   */
  private static final Set<String> TEXT_COLUMNS =
      Set.of("id", "prompt", "response", "error_type", "error", "key", "finish_reason", "json");

  private Results() {}

  /**
   * Writes {@code table} to {@code file} in the format its extension names, replacing the file.
   *
   * @throws IllegalArgumentException if the extension names no {@link Format}
   * @throws UncheckedIOException if the file cannot be written
   */
  public static void write(Table table, Path file) {
    Objects.requireNonNull(file, "file");
    write(table, formatOf(file), file);
  }

  /** Writes {@code table} to {@code file} in {@code format}, whatever the file is called. */
  public static void write(Table table, Format format, Path file) {
    Objects.requireNonNull(table, "table");
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(file, "file");
    if (format == Format.PARQUET) {
      ParquetFiles.write(table, file, notice -> {});
      return;
    }
    try (OutputStream out = Files.newOutputStream(file)) {
      write(table, format, out);
    } catch (IOException e) {
      throw new UncheckedIOException(file + ": cannot write (" + e.getMessage() + ")", e);
    }
  }

  /**
   * Writes {@code table} to a stream (standard output, say) in {@code format}; the stream is
   * flushed, not closed.
   */
  public static void write(Table table, Format format, OutputStream out) {
    Objects.requireNonNull(table, "table");
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(out, "out");
    try {
      switch (format) {
        case CSV ->
            plainDecimals(table)
                .write()
                .csv(
                    CsvWriteOptions.builder(new NonClosingStream(out))
                        .ignoreLeadingWhitespaces(false)
                        .ignoreTrailingWhitespaces(false) // Tablesaw trims: answers kept as is
                        .build());
        case JSONL -> JsonResults.write(table, out, false);
        case JSON -> JsonResults.write(table, out, true);
        case PARQUET -> parquetToStream(table, out);
      }
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot write " + format.extension() + " (" + e.getMessage() + ")", e);
    }
  }

  /**
   * The table with its double columns as plain decimal text for CSV: {@code 0.000627}, not
   * Tablesaw's {@code 6.27E-4}; whole values keep their {@code .0} (they read back as numbers with
   * a fraction), the same in every locale.
   */
  private static Table plainDecimals(Table table) {
    if (table.columns().stream().noneMatch(c -> c instanceof DoubleColumn)) return table;
    Table copy = Table.create(table.name());
    for (Column<?> c : table.columns()) {
      if (!(c instanceof DoubleColumn d)) {
        copy.addColumns(c);
        continue;
      }
      StringColumn text = StringColumn.create(d.name());
      for (int i = 0; i < d.size(); i++)
        text.append(d.isMissing(i) ? "" : Numbers.plainDecimal(d.getDouble(i)));
      copy.addColumns(text);
    }
    return copy;
  }

  /**
   * Reads a table from {@code file} in the format its extension names. Columns of JSON, JSON Lines
   * and Parquet files are typed from their values (whole numbers as {@code LONG}, other numbers
   * {@code DOUBLE}, booleans, else text; nested values as JSON text); a CSV is typed by Tablesaw's
   * reader, except that gkr's text columns ({@code id}, {@code prompt}, {@code response}, ...) stay
   * text. A table with a {@code prompt} column can go straight to {@link Rotator#run(Table)}.
   */
  public static Table read(Path file) {
    Objects.requireNonNull(file, "file");
    Format f = formatOf(file);
    if (f == Format.PARQUET) return ParquetFiles.read(file, notice -> {});
    try (InputStream in = Files.newInputStream(file)) {
      return switch (f) {
        case CSV ->
            Table.read()
                .csv(
                    CsvReadOptions.builder(in)
                        .tableName(file.toString())
                        .maxCharsPerColumn(-1)
                        .columnTypesPartial(
                            c ->
                                TEXT_COLUMNS.contains(c)
                                    ? Optional.of(ColumnType.STRING)
                                    : Optional.empty())
                        .build());
        case JSONL -> JsonTables.readLines(file.toString(), in);
        case JSON -> JsonTables.readArray(file.toString(), in);
        case PARQUET -> throw new AssertionError("read above");
      };
    } catch (IOException e) {
      throw new UncheckedIOException(file + ": cannot read (" + e.getMessage() + ")", e);
    }
  }

  /**
   * The results of a JSON-mode run with each top-level field of the {@code json} answers as a typed
   * column of its own (numbers, booleans, text; nested values as JSON text), when every answer is
   * an object; otherwise the table as it is.
   */
  public static Table flatten(Table results) {
    return JsonColumns.flatten(Objects.requireNonNull(results, "results"));
  }

  /**
   * The records of the answered rows of a {@link Rotator#json(Class)} run, in task order: {@code
   * List<Review> reviews = Results.records(results, Review.class)}. Failed rows are left out (they
   * stay in the table with their errors); a row is never a record of nulls. Works as well on a
   * table read back with {@link #read}.
   *
   * @throws IllegalArgumentException if the table has no {@code json} answers, or an answered row
   *     does not bind to {@code type} (naming the row's id and the place, {@code $.stars})
   */
  public static <R> List<R> records(Table results, Class<R> type) {
    return RecordRows.of(
        Objects.requireNonNull(results, "results"), Objects.requireNonNull(type, "type"));
  }

  /**
   * Loads the Parquet engine now, fetching it if it is not at hand (the only step that may take a
   * while), so a command can fail before it spends any quota. {@code notices} hears a line before a
   * download starts.
   *
   * @throws IllegalStateException if the driver is neither at hand nor could be fetched, saying
   *     what to do
   */
  public static void loadParquet(Consumer<String> notices) {
    DuckDb.driver(Objects.requireNonNull(notices, "notices"));
  }

  private static Format formatOf(Path file) {
    return Format.of(file)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    file
                        + ": unknown format; name the file ."
                        + Format.names().replace(", ", ", .").replace(" or ", " or .")));
  }

  private static void parquetToStream(Table table, OutputStream out) throws IOException {
    Path tmp = Files.createTempFile("gkr-results-", ".parquet");
    try {
      ParquetFiles.write(table, tmp, notice -> {});
      Files.copy(tmp, out);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
