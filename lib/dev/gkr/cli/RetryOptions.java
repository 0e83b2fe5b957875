package dev.gkr.cli;

import dev.gkr.Retries;
import picocli.CommandLine.Option;

/**
 * How {@code gkr} meets failures, a picocli mixin; each option maps to the {@code Retries} builder
 * method of the same name in camelCase.
 */
final class RetryOptions {
  @Option(
      names = "--max-retries",
      description = "retries for task errors (default: ${DEFAULT-VALUE})",
      defaultValue = "3")
  private int maxRetries;

  @Option(
      names = "--timeout",
      description = "per-request timeout (default: ${DEFAULT-VALUE})",
      defaultValue = "2m")
  private String timeout;

  @Option(
      names = "--max-wait",
      description =
          "how long a task may wait in all through overload (503), 5xx, timeouts and storms before it ends as overloaded (default: ${DEFAULT-VALUE})",
      defaultValue = "30m")
  private String maxWait;

  @Option(
      names = "--fallback-after",
      description =
          "how long an overload storm on a model lasts before new requests go to the next --fallback-model (default: ${DEFAULT-VALUE})",
      defaultValue = "60s")
  private String fallbackAfter;

  /** What was given; every problem is an input error (exit 2) before any request. */
  Retries retries() throws InputException {
    try {
      return Retries.builder()
          .maxRetries(maxRetries)
          .timeout(GkrCommand.parseDuration(timeout, "--timeout"))
          .maxWait(GkrCommand.parseDuration(maxWait, "--max-wait"))
          .fallbackAfter(GkrCommand.parseDuration(fallbackAfter, "--fallback-after"))
          .build();
    } catch (IllegalArgumentException e) {
      throw new InputException(OptionNames.of(e.getMessage()));
    }
  }

  /** {@code --max-wait} as given, for messages. */
  String maxWait() {
    return maxWait;
  }
}
