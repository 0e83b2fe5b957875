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
      description = "checkpoint file (default: the tasks file's whole name + .checkpoint.jsonl)")
  private Path checkpoint;

  @Option(
      names = "--fresh",
      description =
          "start over: move an existing checkpoint aside to <checkpoint>.old (replacing an older"
              + " .old) instead of resuming from it")
  private boolean fresh;

  @Option(
      names = "--error-log",
      description =
          "error log file (default: named after --checkpoint, else --out, else the tasks file's"
              + " whole name + .errors.log)")
  private Path errorLog;

  /**
   * The files of a run, named; {@code oldCheckpoint} is the checkpoint gkr used to name by the
   * tasks file's stem, present when that name differs from this run's.
   */
  record Files(
      ResultsOut results, Path checkpoint, Path errorLog, boolean fresh, Path oldCheckpoint) {}

  /**
   * The output files of a run of {@code tasksFile} ({@code -}: standard input). The checkpoint and
   * the error log are named by the whole file name ({@code night.csv.checkpoint.jsonl}): {@code
   * night.csv} and {@code night.jsonl} are different tasks and must never share answers. The
   * results keep the stem ({@code night.results.csv}): they are rewritten whole by every run, so a
   * shared name never carries another file's answers into them.
   */
  Files resolve(String tasksFile) throws InputException {
    return resolve(tasksFile, "");
  }

  /**
   * As {@link #resolve(String)}, with {@code kind} ({@code "embeddings"} for gkr embed) in the
   * default names, so an embedding run never shares a generation run's results or checkpoint.
   */
  Files resolve(String tasksFile, String kind) throws InputException {
    String k = kind.isEmpty() ? "" : "." + kind;
    String whole = tasksFile.equals("-") ? "stdin" : tasksFile;
    String stem = tasksFile.equals("-") ? "stdin" : stripExtension(tasksFile);
    ResultsOut results =
        ResultsOut.resolve(out, format, Path.of(stem + (kind.isEmpty() ? ".results" : k) + ".csv"));
    Path cp = checkpoint != null ? checkpoint : Path.of(whole + k + ".checkpoint.jsonl");
    Path log =
        errorLog != null
            ? errorLog
            : OutputNames.errorLog(checkpoint, results.toStdout() ? null : out, whole);
    Path old =
        checkpoint == null && kind.isEmpty() && !whole.equals(stem)
            ? Path.of(stem + ".checkpoint.jsonl")
            : null;
    return new Files(results, cp, log, fresh, old);
  }

  private static String stripExtension(String file) {
    int dot = file.lastIndexOf('.');
    int slash = file.lastIndexOf('/');
    return dot > slash + 1 ? file.substring(0, dot) : file;
  }
}
