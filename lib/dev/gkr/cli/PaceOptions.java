package dev.gkr.cli;

import dev.gkr.Rotator;
import picocli.CommandLine.Option;

/**
 * How hard each key is driven, a picocli mixin shared by {@code gkr} and {@code gkr plan}, so the
 * plan sizes a batch with the very options the run takes. Each maps to the builder method of the
 * same name.
 */
final class PaceOptions {
  @Option(
      names = "--slots",
      description = "workers per key (default: ${DEFAULT-VALUE})",
      defaultValue = "1")
  private int slots;

  @Option(
      names = "--every",
      description = "start-to-start gap per slot: 12s, 500ms, 1m (default: ${DEFAULT-VALUE})",
      defaultValue = "0")
  private String every;

  void applyTo(Rotator r) throws InputException {
    r.slots(slots).every(GkrCommand.parseDuration(every, "--every"));
  }
}
