package dev.gkr.internal.engine;

import dev.gkr.Durations;
import dev.gkr.Outcome;
import dev.gkr.RunStats;
import java.time.Duration;

/** What the synchronous part tells the user when the run changes course. */
final class EngineNotices {
  private EngineNotices() {}

  static String modelNotFound(String model, Outcome.Failure f) {
    return "model "
        + model
        + " was not found ("
        + f.summary()
        + "): the run stops and nothing more is sent; check the model name (and the base URL), then"
        + " run again to resume";
  }

  /** A storm began (the run is throttled) or ended. */
  static String throttle(RunStats.Slowdown sd) {
    return sd.throttled()
        ? "run throttled: "
            + sd.cause()
            + " across most keys; one probe at a time, backing off (not counted against keys or"
            + " task retries)"
        : "storm over after " + Durations.format(sd.throttledFor()) + " in all; back to full speed";
  }

  static String stormOutlasted(String cause, Duration maxWait) {
    return "the run was throttled ("
        + cause
        + ") for "
        + Durations.format(maxWait)
        + " (maxWait): it stops; unfinished tasks get error_type overloaded; run again to resume";
  }
}
