package dev.gkr.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.univocity.parsers.csv.CsvParser;
import com.univocity.parsers.csv.CsvParserSettings;
import dev.gkr.Task;
import dev.gkr.internal.request.FileScope;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a tasks file: {@code .csv} (header row with a {@code prompt} column, optional {@code id},
 * other columns kept as metadata), {@code .jsonl} (objects with {@code prompt}, optional {@code
 * id}), {@code .json} (an array of such objects), {@code .parquet} (columns as in CSV, typed),
 * {@code .txt} (one prompt a line), or {@code -} for standard input (read as text lines). Every
 * problem names the file, line and field.
 */
final class TaskFiles {
  private static final ObjectMapper JSON = CliJson.MAPPER;

  private TaskFiles() {}

  /** The tasks of {@code name}, whose files may come only from its own folder. */
  static List<Task> read(String name, InputStream stdin) throws InputException {
    return read(name, stdin, FileScope.of(TaskFields.dirOf(name), java.util.Optional.empty()));
  }

  /** The tasks of {@code name}, whose files may come only from the folders of {@code scope}. */
  static List<Task> read(String name, InputStream stdin, FileScope scope) throws InputException {
    return read(name, stdin, scope, false);
  }

  /**
   * As {@link #read(String, InputStream, FileScope)}; with {@code texts} (gkr embed) a {@code text}
   * column or field is read as the task's text in place of {@code prompt}, when present.
   */
  static List<Task> read(String name, InputStream stdin, FileScope scope, boolean texts)
      throws InputException {
    String lower = name.toLowerCase(Locale.ROOT);
    if (lower.endsWith(".parquet"))
      return nonEmpty(name, TaskFormats.parquet(name, lines -> jsonl(name, lines, scope, texts)));
    String text;
    try {
      text =
          name.equals("-")
              ? new String(stdin.readAllBytes(), StandardCharsets.UTF_8)
              : Files.readString(Path.of(name), StandardCharsets.UTF_8);
    } catch (java.nio.charset.MalformedInputException e) {
      throw new InputException(name + ": is not UTF-8 text");
    } catch (IOException e) {
      throw new InputException(name + ": cannot read (" + IoReasons.of(e) + ")");
    }
    if (text.startsWith("\uFEFF")) text = text.substring(1);
    List<Task> tasks =
        lower.endsWith(".csv")
            ? csv(name, text, scope, texts)
            : lower.endsWith(".jsonl") || lower.endsWith(".ndjson")
                ? jsonl(name, text, scope, texts)
                : lower.endsWith(".json")
                    ? TaskFormats.array(name, text, lines -> jsonl(name, lines, scope, texts))
                    : lines(name, text);
    return nonEmpty(name, tasks);
  }

  private static List<Task> nonEmpty(String name, List<Task> tasks) throws InputException {
    if (tasks.isEmpty()) throw new InputException(name + ": has no tasks");
    return tasks;
  }

  private static List<Task> csv(String name, String text, FileScope scope, boolean texts)
      throws InputException {
    CsvParserSettings s = new CsvParserSettings();
    s.setHeaderExtractionEnabled(false);
    s.setLineSeparatorDetectionEnabled(true);
    s.setMaxCharsPerColumn(-1);
    s.setMaxColumns(4096);
    s.setSkipEmptyLines(true);
    s.trimValues(false);
    CsvParser p = new CsvParser(s);
    p.beginParsing(new StringReader(text));
    String[] header = p.parseNext();
    if (header == null)
      throw new InputException(name + ": is empty (expected a header row with a 'prompt' column)");
    int promptCol = -1;
    int idCol = -1;
    int textCol = -1;
    for (int i = 0; i < header.length; i++) {
      String h = header[i] == null ? "" : header[i].strip();
      header[i] = h;
      if (h.equalsIgnoreCase("prompt")) promptCol = i;
      if (h.equalsIgnoreCase("id")) idCol = i;
      if (texts && h.equalsIgnoreCase("text")) textCol = i;
    }
    if (textCol >= 0) promptCol = textCol;
    if (promptCol < 0)
      throw new InputException(
          name
              + " line 1: no 'prompt' column in the header (columns: "
              + String.join(", ", header)
              + ")");
    TaskRows rows = new TaskRows(name, scope);
    String[] row;
    long line = p.getContext().currentLine();
    while ((row = p.parseNext()) != null) {
      long rowLine = line + 1;
      line = p.getContext().currentLine();
      String prompt = promptCol < row.length && row[promptCol] != null ? row[promptCol] : "";
      String id =
          idCol >= 0 && idCol < row.length && row[idCol] != null ? row[idCol].strip() : null;
      Map<String, Object> meta = new LinkedHashMap<>();
      for (int i = 0; i < header.length; i++) {
        if (i == promptCol || i == idCol) continue;
        meta.put(
            header[i].isEmpty() ? "column_" + (i + 1) : header[i],
            i < row.length && row[i] != null ? row[i] : "");
      }
      rows.add(rowLine, id, prompt, meta);
    }
    return rows.tasks();
  }

  private static List<Task> jsonl(String name, String text, FileScope scope, boolean texts)
      throws InputException {
    TaskRows rows = new TaskRows(name, scope);
    int lineNo = 0;
    for (String line : text.split("\r?\n", -1)) {
      lineNo++;
      if (line.isBlank()) continue;
      JsonNode n;
      try {
        n = JSON.readTree(line);
      } catch (IOException e) {
        long column =
            e instanceof com.fasterxml.jackson.core.JsonProcessingException j
                    && j.getLocation() != null
                ? j.getLocation().getColumnNr()
                : -1;
        throw new InputException(
            name
                + " line "
                + lineNo
                + ": not valid JSON"
                + (column > 0 ? " at column " + column : "")
                + " ("
                + (e instanceof com.fasterxml.jackson.core.JsonProcessingException j
                    ? j.getOriginalMessage().lines().findFirst().orElse("")
                    : IoReasons.of(e))
                + ")");
      }
      if (n == null || !n.isObject())
        throw new InputException(name + " line " + lineNo + ": expected a JSON object");
      String field = texts && n.has("text") ? "text" : "prompt";
      JsonNode prompt = n.get(field);
      if (prompt == null || !prompt.isTextual())
        throw new InputException(
            name + " line " + lineNo + ": field 'prompt' is missing or not a string");
      String id = n.hasNonNull("id") ? n.get("id").asText() : null;
      Map<String, Object> meta = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> f = it.next();
        if (f.getKey().equals(field) || f.getKey().equals("id")) continue;
        JsonNode v = f.getValue();
        meta.put(
            f.getKey(),
            v.isNull()
                ? null
                : v.isIntegralNumber()
                    ? (Object) v.asLong()
                    : v.isNumber()
                        ? (Object) v.asDouble()
                        : v.isBoolean()
                            ? (Object) v.asBoolean()
                            : v.isTextual()
                                ? v.asText()
                                // an object or an array stays one: nested again in JSON results
                                : CliJson.MAPPER.convertValue(v, Object.class));
      }
      rows.add(lineNo, id, prompt.asText(), meta);
    }
    return rows.tasks();
  }

  private static List<Task> lines(String name, String text) throws InputException {
    List<Task> out = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new StringReader(text))) {
      String line;
      int lineNo = 0;
      while ((line = r.readLine()) != null) {
        lineNo++;
        if (line.isBlank()) continue;
        out.add(Task.of(Integer.toString(lineNo), line));
      }
    } catch (IOException e) {
      throw new InputException(name + ": " + e.getMessage());
    }
    return out;
  }
}
