package dev.gkr.internal.common;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The one backoff of the engine: 1 s, doubling with each step, capped, with ±20 % jitter so that
 * slots (or keys, or the run-wide throttle's probes) do not come back in lockstep.
 */
public final class Backoff {
  private Backoff() {}

  /** The wait before attempt number {@code step} (1 = the first wait: about 1 s). */
  public static Duration jittered(int step, Duration cap) {
    long base = Math.min(cap.toMillis(), 1000L << Math.min(20, Math.max(0, step - 1)));
    long jitter = (long) (base * 0.2 * (ThreadLocalRandom.current().nextDouble() * 2 - 1));
    return Duration.ofMillis(Math.max(1, base + jitter));
  }
}
