package dev.gkr.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gkr.internal.request.FileScope;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The task fields that shape its request ({@code system}, {@code config}, {@code files}) as a tasks
 * file holds them: {@code config} must be a JSON object (a broken one is reported with file, line
 * and the position inside the field), and a {@code files} JSON array must parse. Relative {@code
 * files} paths are read from the tasks file's directory ({@link #dirOf}, given to the engine as
 * {@code LocalFiles.filesDir}) and must stay inside it, or inside {@code --files-root}: a path that
 * leads out is refused here, naming file and line. The engine checks the rest (known config fields,
 * files exist) before any request.
 */
final class TaskFields {
  private static final ObjectMapper JSON = CliJson.MAPPER;

  /** What to do about a file outside the folders allowed. */
  static final String OUTSIDE =
      "a tasks file may name only files inside its own folder (it is data, and every file it names"
          + " is sent to Gemini): move the file there, or allow its folder with --files-root DIR"
          + " (--files-root / allows every file)";

  private TaskFields() {}

  static void check(String file, long line, Map<String, Object> meta, FileScope scope)
      throws InputException {
    Object config = meta.get("config");
    if (config instanceof java.util.Collection<?>)
      throw new InputException(
          file
              + " line "
              + line
              + ", field 'config': expected a JSON object like {\"maxOutputTokens\": 256}, got "
              + asText(config));
    if (config instanceof String s && !s.isBlank()) {
      try {
        JsonNode n = JSON.readTree(s);
        if (n == null || !n.isObject())
          throw new InputException(
              file
                  + " line "
                  + line
                  + ", field 'config': expected a JSON object like {\"maxOutputTokens\": 256}, got "
                  + s.strip());
      } catch (JsonProcessingException e) {
        var at = e.getLocation();
        throw new InputException(
            file
                + " line "
                + line
                + ", field 'config': not valid JSON at column "
                + at.getColumnNr()
                + (at.getLineNr() > 1 ? " of its line " + at.getLineNr() : "")
                + " ("
                + e.getOriginalMessage()
                + ")");
      }
    }
    Object files = meta.get("files");
    if (files != null) {
      try {
        for (String name : names(asText(files))) if (!FileScope.isUri(name)) scope.resolve(name);
      } catch (FileScope.Outside e) {
        throw new InputException(
            file + " line " + line + ", field 'files': " + e.getMessage() + "; " + OUTSIDE);
      } catch (IllegalArgumentException e) {
        throw new InputException(file + " line " + line + ", field 'files': " + e.getMessage());
      }
    }
  }

  /** A field's value as the user wrote it: an object or an array (from JSON) as its JSON. */
  private static String asText(Object v) {
    if (!(v instanceof Map<?, ?> || v instanceof java.util.Collection<?>)) return v.toString();
    try {
      return JSON.writeValueAsString(v);
    } catch (JsonProcessingException e) {
      return v.toString();
    }
  }

  /**
   * The directory relative {@code files} paths are read from: the tasks file's (the working
   * directory for standard input). The {@code files} value itself stays as the user wrote it: it is
   * a column of the results.
   */
  static Path dirOf(String file) {
    return file.equals("-")
        ? Path.of("").toAbsolutePath()
        : Path.of(file).toAbsolutePath().getParent();
  }

  /**
   * One path, a JSON array of paths, or {@code ;}-separated paths (the same rule as the engine's).
   */
  private static List<String> names(String s) {
    s = s.strip();
    if (s.isEmpty()) return List.of();
    if (s.startsWith("[")) {
      try {
        List<String> out = new ArrayList<>();
        for (JsonNode e : JSON.readTree(s)) out.add(e.asText().strip());
        return out;
      } catch (JsonProcessingException e) {
        throw new IllegalArgumentException(
            "not a valid JSON array of paths (" + e.getOriginalMessage() + ")");
      }
    }
    return java.util.Arrays.stream(s.split(";"))
        .map(String::strip)
        .filter(x -> !x.isEmpty())
        .toList();
  }
}
