package dev.gkr.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Where {@code gkr} writes: the results (file and format), the checkpoint and the error log, a
 * picocli mixin; {@link #resolve} names them all from the tasks file when not given.
 */
final class OutputOptions {
  @Option(
      names = "--out",
      description =
          "results file, format by extension: .csv, .jsonl, .json, .parquet; - for standard output (default: <tasks>.results.csv)")
  private Path out;

  @Option(
      names = "--format",
      description =
          "results format: csv, jsonl, json or parquet (default: from --out; csv for --out -)")
  private String format;

  @Option(
      names = "--checkpoint",
      description = "checkpoint file (default: <tasks>.checkpoint.jsonl)")
  private Path checkpoint;

  @Option(
      names = "--error-log",
      description =
          "error log file (default: named after --checkpoint, else --out, else <tasks>.errors.log)")
  private Path errorLog;

  /** The files of a run, named. */
  record Files(ResultsOut results, Path checkpoint, Path errorLog) {}

  /** The output files of a run of {@code tasksFile} ({@code -}: standard input). */
  Files resolve(String tasksFile) throws InputException {
    String base = tasksFile.equals("-") ? "stdin" : stripExtension(tasksFile);
    ResultsOut results = ResultsOut.resolve(out, format, Path.of(base + ".results.csv"));
    Path cp = checkpoint != null ? checkpoint : Path.of(base + ".checkpoint.jsonl");
    Path log =
        errorLog != null
            ? errorLog
            : OutputNames.errorLog(checkpoint, results.toStdout() ? null : out, base);
    return new Files(results, cp, log);
  }

  private static String stripExtension(String file) {
    int dot = file.lastIndexOf('.');
    int slash = file.lastIndexOf('/');
    return dot > slash + 1 ? file.substring(0, dot) : file;
  }
}
