package dev.gkr;

import dev.gkr.internal.report.StatsReport;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Why a run slowed down, from {@link RunStats#slowdown()}: the run-wide throttle: {@code throttled}
 * while a storm holds the whole run back; {@code cause} such as {@code 503 storm} or {@code 429
 * storm}; {@code since} when the last storm began; {@code waiting} until the next probe; {@code
 * episodes} storms so far and {@code throttledFor} their total length.
 */
public record Slowdown(
    boolean throttled,
    String cause,
    Optional<Instant> since,
    Duration waiting,
    int episodes,
    Duration throttledFor) {
  /** Never throttled. */
  public static final Slowdown NONE =
      new Slowdown(false, "", Optional.empty(), Duration.ZERO, 0, Duration.ZERO);

  /** {@code throttled: 503 storm since 12:03, waiting 40s} while throttled, else empty. */
  public String statusText() {
    return StatsReport.throttled(this);
  }

  /**
   * For the summary: {@code slowed down: throttled 2 times for 3m10s in all (last: 503 storm at
   * 12:03)}, or empty.
   */
  public String summaryText() {
    return StatsReport.slowedDown(this);
  }
}
