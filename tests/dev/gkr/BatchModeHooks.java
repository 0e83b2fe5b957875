package dev.gkr;

import java.time.Duration;

/** BatchMode's package-private polling hook, for tests in other packages (dev.gkr.spark). */
public final class BatchModeHooks {
  private BatchModeHooks() {}

  /** Batch Mode in {@code mode}, polling first after {@code first}, at most every {@code max}. */
  public static BatchMode polling(Mode mode, Duration first, Duration max) {
    return BatchMode.builder().mode(mode).polling(first, max).build();
  }
}
