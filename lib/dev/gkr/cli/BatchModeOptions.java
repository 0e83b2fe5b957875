package dev.gkr.cli;

import dev.gkr.Rotator;
import picocli.CommandLine.Option;

/** Batch Mode options of {@code gkr} (issue 19), a picocli mixin; each maps to the builder method in camelCase. */
final class BatchModeOptions {
  @Option(names = "--mode", paramLabel = "MODE", description = "sync (default): one request per task; batch: Gemini Batch Mode jobs at half the price, results within 24 h") String mode;
  @Option(names = "--batch-jobs", paramLabel = "N", description = "with --mode batch: jobs each project runs at once, 1..100 (default 1)") Integer batchJobs;
  @Option(names = "--cancel-jobs", description = "with --mode batch: collect finished jobs of the last run, cancel the others, submit nothing") boolean cancelJobs;
  @Option(names = "--deadline", paramLabel = "D", description = "for --mode auto, which gkr does not offer (see README, Batch Mode)") String deadline;

  void applyTo(Rotator r) throws InputException {
    if (deadline != null) {
      throw new InputException("--deadline goes with --mode auto, which gkr does not offer: Batch Mode jobs can stay pending for hours, "
          + "so no deadline can be promised for the tasks sent to them; use --mode sync to meet a deadline, --mode batch to save (see README, Batch Mode)");
    }
    try {
      if (mode != null) r.mode(mode);
      if (batchJobs != null) r.batchJobs(batchJobs);
    } catch (IllegalArgumentException e) {
      throw new InputException((e.getMessage().startsWith("mode") ? "--" : "--batch-jobs: ") + e.getMessage());
    }
    if ((cancelJobs || batchJobs != null) && (mode == null || !mode.strip().equalsIgnoreCase("batch"))) {
      throw new InputException((cancelJobs ? "--cancel-jobs" : "--batch-jobs") + " needs --mode batch");
    }
    if (cancelJobs) r.cancelJobs(true);
  }
}
