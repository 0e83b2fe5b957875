package dev.gkr.internal.keys;

import dev.gkr.Limits;
import java.time.Duration;

/**
 * How a declared quota becomes pacing: each project aims at {@link #HEADROOM} of it, with its
 * request starts spaced evenly ({@link #interval}).
 */
public final class Pacing {
  /**
   * The share of a declared limit that pacing aims at: the server counts arrivals, which jitter by
   * milliseconds, so a request started exactly on the window's edge can arrive inside it.
   */
  public static final double HEADROOM = 0.95;

  private Pacing() {}

  /** The even spacing of one project's request starts; zero when requests are not limited. */
  public static Duration interval(Limits limits) {
    return limits.requests() == 0
        ? Duration.ZERO
        : Duration.ofNanos((long) (limits.window().toNanos() / (limits.requests() * HEADROOM)));
  }
}
