package dev.gkr.cli;

import dev.gkr.Limits;
import dev.gkr.Rotator;
import picocli.CommandLine.Option;

/**
 * The quota each project declares, a picocli mixin shared by {@code gkr} (which paces to it) and
 * {@code gkr plan} (which sizes the batch by it). Projects come from the keys file ({@code KEY
 * project=NAME}); keys without one are each their own project.
 */
final class LimitOptions {
  @Option(
      names = "--rpm",
      description =
          "declared requests per minute of each project (keys file: KEY project=NAME); gkr paces to it")
  private Integer rpm;

  @Option(names = "--rpd", description = "declared requests per day of each project")
  private Integer rpd;

  @Option(names = "--tpm", description = "declared input tokens per minute of each project")
  private Integer tpm;

  /** Declares the limits, when any was given; an absent one is unlimited (0). */
  void applyTo(Rotator r) throws InputException {
    if (rpm == null && rpd == null && tpm == null) return;
    if ((rpm != null && rpm < 1) || (rpd != null && rpd < 1) || (tpm != null && tpm < 1))
      throw new InputException("--rpm, --rpd and --tpm must be >= 1");
    r.limits(Limits.rpm(orZero(rpm)).rpd(orZero(rpd)).tpm(orZero(tpm)));
  }

  private static int orZero(Integer limit) {
    return limit == null ? 0 : limit;
  }
}
