package dev.gkr.sim;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How the simulator's batch jobs progress: each job is PENDING for {@code pending}, RUNNING for
 * {@code running}, then ends. Time is the simulator's clock ({@link Simulator.Builder#clock}), so a
 * test passes the engine's fake clock and a day-long job costs nothing. The first jobs created end
 * as {@code ends} lists (FAILED, EXPIRED or SUCCEEDED, in order), every later one SUCCEEDED.
 */
public record BatchSchedule(Duration pending, Duration running, List<End> ends) {
  /** How a job ends when nobody cancels it. */
  public enum End {
    SUCCEEDED,
    FAILED,
    EXPIRED
  }

  /** Default: 1 s pending, 2 s running, every job succeeds. */
  public static final BatchSchedule DEFAULT =
      new BatchSchedule(Duration.ofSeconds(1), Duration.ofSeconds(2), List.of());

  public BatchSchedule {
    Objects.requireNonNull(pending, "pending");
    Objects.requireNonNull(running, "running");
    if (pending.isNegative())
      throw new IllegalArgumentException("batch pending time must be >= 0, was " + pending);
    if (running.isNegative())
      throw new IllegalArgumentException("batch running time must be >= 0, was " + running);
    ends = List.copyOf(ends);
  }

  /** How the job created as number {@code n} (0-based) ends. */
  End endOf(int n) {
    return n < ends.size() ? ends.get(n) : End.SUCCEEDED;
  }
}
