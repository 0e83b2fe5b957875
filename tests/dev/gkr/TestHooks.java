package dev.gkr;

import dev.gkr.internal.common.Clock;
import dev.gkr.internal.config.Settings;

/** The builder's package-private test hooks, for tests of the internal packages. */
public final class TestHooks {
  private TestHooks() {}

  /** The settings a run of {@code r} would start with. */
  public static Settings settings(Rotator r) {
    return r.settings();
  }

  /** {@code r} on this clock. */
  public static Rotator clock(Rotator r, Clock clock) {
    return r.clock(clock);
  }
}
