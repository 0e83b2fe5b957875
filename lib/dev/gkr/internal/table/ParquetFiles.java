package dev.gkr.internal.table;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.FloatColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.ShortColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * Parquet through DuckDB ({@link DuckDb}). A table goes in as the typed JSON Lines gkr writes
 * anyway, read with each column's type declared (so DuckDB guesses nothing: an id of digits stays
 * text), and comes out through DuckDB's JSON export into {@link JsonTables}: one typing path for
 * JSON and Parquet alike. Text, booleans, 32- and 64-bit integers and doubles keep their Parquet
 * types; the {@code json} column is a text column holding JSON, which pandas and Polars read as a
 * string.
 */
public final class ParquetFiles {
  private ParquetFiles() {}

  public static void write(Table table, Path file, Consumer<String> notices) {
    Path dir = file.toAbsolutePath().getParent();
    Path json = null;
    Path part = null;
    try {
      json = Files.createTempFile("gkr-results-", ".jsonl");
      try (OutputStream out = Files.newOutputStream(json)) {
        JsonResults.write(table, out, false);
      }
      part = Files.createTempFile(dir, "." + file.getFileName() + "-", ".part");
      String columns =
          table.columns().stream()
              .map(c -> literal(c.name()) + ": " + literal(duckType(c)))
              .collect(Collectors.joining(", "));
      copy(
          notices,
          "read_json("
              + literal(json.toString())
              + ", format = 'newline_delimited', maximum_object_size = 1073741824, columns = {"
              + columns
              + "})",
          part,
          "parquet");
      Files.move(part, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(file + ": cannot write Parquet (" + e.getMessage() + ")", e);
    } catch (SQLException e) {
      throw new UncheckedIOException(
          file + ": cannot write Parquet (" + e.getMessage() + ")", new IOException(e));
    } finally {
      deleteQuietly(json);
      deleteQuietly(part);
    }
  }

  public static Table read(Path file, Consumer<String> notices) {
    if (!Files.isRegularFile(file))
      throw new UncheckedIOException(new java.io.FileNotFoundException(file + ": no such file"));
    Path json = null;
    try {
      json = Files.createTempFile("gkr-parquet-", ".jsonl");
      copy(notices, "read_parquet(" + literal(file.toString()) + ")", json, "json");
      try (InputStream in = Files.newInputStream(json)) {
        return JsonTables.readLines(file.toString(), in);
      }
    } catch (SQLException e) {
      throw new IllegalArgumentException(
          file + ": not a readable Parquet file (" + firstLine(e.getMessage()) + ")", e);
    } catch (IOException e) {
      throw new UncheckedIOException(file + ": cannot read (" + e.getMessage() + ")", e);
    } finally {
      deleteQuietly(json);
    }
  }

  private static String duckType(Column<?> c) {
    return switch (c) {
      case BooleanColumn b -> "BOOLEAN";
      case IntColumn i -> "INTEGER";
      case LongColumn l -> "BIGINT";
      case ShortColumn s -> "SMALLINT";
      case DoubleColumn d -> "DOUBLE";
      case FloatColumn f -> "FLOAT";
      default -> vectors(c) ? "FLOAT[]" : "VARCHAR";
    };
  }

  /**
   * An embedding run's vectors (JSON arrays in the {@code embedding} column): a Parquet list of
   * floats, which pyarrow and DuckDB read as such.
   */
  private static boolean vectors(Column<?> c) {
    if (!c.name().equals(JsonResults.EMBEDDING)) return false;
    for (int i = 0; i < c.size(); i++)
      if (!c.isMissing(i) && !c.getString(i).startsWith("[")) return false;
    return true;
  }

  /** DuckDB's {@code COPY (SELECT * FROM source) TO target (FORMAT format)}. */
  private static void copy(Consumer<String> notices, String source, Path target, String format)
      throws SQLException {
    try (Connection db = DuckDb.connect(notices);
        Statement s = db.createStatement()) {
      s.execute(
          "COPY (SELECT * FROM "
              + source
              + ") TO "
              + literal(target.toString())
              + " (FORMAT "
              + format
              + ")");
    }
  }

  /**
   * A SQL string literal: DuckDB's COPY takes no parameters, so paths and names are quoted here.
   */
  private static String literal(String s) {
    return "'" + s.replace("'", "''") + "'";
  }

  private static String firstLine(String s) {
    if (s == null) return "unknown error";
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  private static void deleteQuietly(Path p) {
    if (p == null) return;
    try {
      Files.deleteIfExists(p);
    } catch (IOException e) {
      // a temporary file; the OS cleans its temp directory
    }
  }
}
