package dev.gkr.cli;

import dev.gkr.BatchMode;
import picocli.CommandLine.Option;

/**
 * Batch Mode options of {@code gkr}, a picocli mixin; each maps to the {@code BatchMode} builder
 * method in camelCase.
 */
final class BatchModeOptions {
  @Option(
      names = "--mode",
      paramLabel = "MODE",
      description =
          "sync (default): one request per task; batch: Gemini Batch Mode jobs at half the price, results within 24 h; auto: sync what the declared quota finishes by --deadline, batch the rest")
  private String mode;

  @Option(
      names = "--batch-jobs",
      paramLabel = "N",
      description = "with --mode batch: jobs each project runs at once, 1..100 (default 1)")
  private Integer batchJobs;

  @Option(
      names = "--cancel-jobs",
      description =
          "with --mode batch: collect finished jobs of the last run, cancel the others, submit nothing")
  private boolean cancelJobs;

  @Option(
      names = "--deadline",
      paramLabel = "D",
      description = "with --mode auto: when the synchronous part must be done, e.g. 2h")
  private String deadline;

  BatchMode batchMode() throws InputException {
    boolean auto = mode != null && mode.strip().equalsIgnoreCase("auto");
    if (deadline != null && !auto) throw new InputException("--deadline needs --mode auto");
    if (auto && deadline == null)
      throw new InputException("--mode auto needs --deadline (e.g. --deadline 2h)");
    BatchMode.Builder r = BatchMode.builder();
    try {
      if (deadline != null) r.deadline(GkrCommand.parseDuration(deadline, "--deadline"));
      if (mode != null) r.mode(mode);
      if (batchJobs != null) r.jobs(batchJobs);
    } catch (IllegalArgumentException e) {
      throw new InputException(OptionNames.of(e.getMessage()));
    }
    if ((cancelJobs || batchJobs != null)
        && (mode == null || mode.strip().equalsIgnoreCase("sync"))) {
      throw new InputException(
          (cancelJobs ? "--cancel-jobs" : "--batch-jobs") + " needs --mode batch or auto");
    }
    return r.cancelJobs(cancelJobs).build();
  }
}
