package dev.gkr.cli;

import dev.gkr.Format;
import dev.gkr.Results;
import dev.gkr.internal.common.NonClosingStream;
import dev.gkr.internal.table.JsonResults;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import tech.tablesaw.api.Table;

/**
 * Where the results go and in which format, decided from {@code --out} and {@code --format} before
 * a single request is sent: a file in the format its extension names, or standard output ({@code
 * --out -}, CSV unless {@code --format} says otherwise), in which case every other line the command
 * prints goes to standard error.
 *
 * @param file the results file, or empty for standard output
 */
record ResultsOut(Optional<Path> file, Format format) {
  static final String STDOUT = "-";

  static ResultsOut resolve(Path out, String formatName, Path defaultFile) throws InputException {
    Optional<Format> asked = Optional.empty();
    if (formatName != null) {
      try {
        asked = Optional.of(Format.parse(formatName));
      } catch (IllegalArgumentException e) {
        throw new InputException("--format: " + e.getMessage());
      }
    }
    if (out != null && out.toString().equals(STDOUT))
      return new ResultsOut(Optional.empty(), asked.orElse(Format.CSV));
    Path file = out != null ? out : defaultFile;
    Optional<Format> named = Format.of(file);
    if (named.isEmpty() && asked.isEmpty()) {
      throw new InputException(
          "--out "
              + file
              + ": unknown format; name the file .csv, .jsonl, .json or .parquet, or add --format "
              + Format.names().replace(", ", "|").replace(" or ", "|"));
    }
    if (named.isPresent() && asked.isPresent() && named.get() != asked.get()) {
      throw new InputException(
          "--out "
              + file
              + " is ."
              + named.get().extension()
              + " but --format is "
              + asked.get().extension()
              + "; make them agree or drop --format");
    }
    return new ResultsOut(Optional.of(file), asked.orElseGet(named::get));
  }

  boolean toStdout() {
    return file.isEmpty();
  }

  /**
   * The standard output when it carries the results; the command's other lines then go to standard
   * error.
   */
  PrintStream messages(PrintStream stdout, PrintStream stderr) {
    return toStdout() ? stderr : stdout;
  }

  void write(Table results, PrintStream stdout) {
    write(results, stdout, Set.of());
  }

  /**
   * Writes the results; in JSON and JSON Lines the {@code nested} columns (fields that were an
   * object or an array in the tasks file) come back nested, not as a string of JSON (CSV and
   * Parquet keep that text).
   */
  void write(Table results, PrintStream stdout, Set<String> nested) {
    boolean json = format == Format.JSON || format == Format.JSONL;
    if (!json || nested.isEmpty()) {
      if (file.isPresent()) Results.write(results, format, file.get());
      else Results.write(results, format, stdout);
      return;
    }
    try (OutputStream out =
        file.isPresent() ? Files.newOutputStream(file.get()) : new NonClosingStream(stdout)) {
      JsonResults.write(results, out, format == Format.JSON, nested);
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(describe() + ": cannot write (" + e.getMessage() + ")", e);
    }
  }

  String describe() {
    return file.map(Path::toString).orElse("standard output (" + format.extension() + ")");
  }
}
