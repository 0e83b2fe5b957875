package dev.gkr.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gkr.Format;
import dev.gkr.Results;
import dev.gkr.Task;
import java.io.ByteArrayOutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * Tasks from a JSON array or a Parquet file. Both are turned into JSON Lines, one object per task
 * with its values typed, and read by the JSON Lines reader, so every task format means the same
 * fields the same way; only the place named in a message changes ({@code item 3} of an array,
 * {@code row 3} of a Parquet file).
 */
final class TaskFormats {
  private static final ObjectMapper JSON = CliJson.MAPPER;

  /** A reader of JSON Lines text, as {@link TaskFiles} has. */
  interface LinesReader {
    List<Task> read(String text) throws InputException;
  }

  private TaskFormats() {}

  /** A {@code .json} file: one array of task objects. */
  static List<Task> array(String name, String text, LinesReader jsonl) throws InputException {
    JsonNode root;
    try {
      root = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new InputException(
          name
              + ": not valid JSON ("
              + e.getOriginalMessage()
              + " at line "
              + e.getLocation().getLineNr()
              + ")");
    }
    if (root == null || !root.isArray())
      throw new InputException(
          name + ": expected a JSON array of task objects, e.g. [{\"prompt\": \"...\"}]");
    StringBuilder lines = new StringBuilder();
    for (JsonNode item : root) lines.append(item.toString()).append('\n');
    return relabel(name, "item", lines.toString(), jsonl);
  }

  /**
   * A {@code .parquet} file: its columns keep their types (numbers, booleans, text) as task
   * metadata.
   */
  static List<Task> parquet(String name, LinesReader jsonl) throws InputException {
    ByteArrayOutputStream lines = new ByteArrayOutputStream();
    try {
      Results.loadParquet(
          n ->
              System.err.println(
                  "gkr: " + n)); // loaded already by gkr itself; `gkr plan` fetches here
      Results.write(Results.read(Path.of(name)), Format.JSONL, lines);
    } catch (IllegalArgumentException | IllegalStateException | UncheckedIOException e) {
      throw new InputException(e.getMessage());
    }
    return relabel(name, "row", lines.toString(StandardCharsets.UTF_8), jsonl);
  }

  /** The JSON Lines reader counts lines; here each line is an array item or a table row. */
  private static List<Task> relabel(String name, String unit, String lines, LinesReader jsonl)
      throws InputException {
    try {
      return jsonl.read(lines);
    } catch (InputException e) {
      String m = e.getMessage();
      if (!m.startsWith(name)) throw e;
      throw new InputException(
          name + m.substring(name.length()).replace(" line ", " " + unit + " "));
    }
  }
}
