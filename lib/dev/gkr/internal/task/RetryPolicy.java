package dev.gkr.internal.task;

import dev.gkr.ErrorType;
import dev.gkr.internal.common.Backoff;
import java.time.Duration;

/**
 * When a failed task goes again and when it ends: the one rule set for synchronous requests and
 * Batch Mode jobs. A task error (bad request, blocked, bad JSON, ...) uses one of {@code
 * maxRetries}. A transient error (5xx, timeout, connection) is retried after a jittered backoff
 * while the task has waited less than {@code maxWait} in all and met fewer than its cap of them:
 * {@code transientRetries} when set; else no count at all for overload (503), timeouts and
 * connection errors, which time alone bounds, and 5 for anything else that repeats on one task (a
 * 500 that repeats is usually the prompt's). In a run-wide storm nothing is counted: the throttle
 * holds the run back instead.
 *
 * <p>Batch Mode has no backoff of its own: a task goes into the next job, and its wait is the time
 * until that job is created (the polls in between); a job's own turnaround is not waiting, as a
 * request in flight is not. Immutable.
 */
public final class RetryPolicy {
  /** {@code transientRetries} when the user set none. */
  public static final int UNSET = -1;

  /**
   * Transient errors other than overload, timeouts and connection errors (a 500, a failed batch
   * job, a 429 inside jobs past its free requeues) a task may meet when no count was set.
   */
  public static final int REPEATED_ERROR_RETRIES = 5;

  private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

  /** What happens to a failed task. */
  public sealed interface Next {}

  /** It goes again, not before {@code after} (zero: as soon as a slot or a job takes it). */
  public record Retry(Duration after) implements Next {}

  /** It ends with its last failure. */
  public record Fail() implements Next {}

  private static final Next NOW = new Retry(Duration.ZERO);
  private static final Next FAIL = new Fail();

  private final int maxRetries;
  private final int transientRetries;
  private final Duration maxWait;

  public RetryPolicy(int maxRetries, int transientRetries, Duration maxWait) {
    this.maxRetries = maxRetries;
    this.transientRetries = transientRetries;
    this.maxWait = maxWait;
  }

  public int maxRetries() {
    return maxRetries;
  }

  public Duration maxWait() {
    return maxWait;
  }

  /**
   * How many transient errors of this type a task may meet (outside a storm) before it fails;
   * {@link Integer#MAX_VALUE} when only time bounds them.
   */
  public int transientCap(ErrorType type) {
    if (transientRetries != UNSET) return transientRetries;
    return switch (type) {
      case OVERLOADED, TIMEOUT, CONNECTION -> Integer.MAX_VALUE;
      default -> REPEATED_ERROR_RETRIES;
    };
  }

  /** The task itself failed: one of its retries, or it fails. */
  public Next afterTaskError(TaskState t) {
    return t.countTaskError() > maxRetries ? FAIL : NOW;
  }

  /**
   * The network or the server failed: a retry after a backoff within the task's budget, or it
   * fails. {@code storm}: the run-wide throttle holds the run back, so nothing is counted and the
   * task waits in the queue for the throttle.
   */
  public Next afterTransientError(TaskState t, ErrorType type, long now, boolean storm) {
    if (!storm) t.countTransientError();
    long budget = maxWait.toNanos();
    if (t.waitedNanos() >= budget || (!storm && t.transientErrors() > transientCap(type)))
      return FAIL;
    t.waitFrom(now);
    if (storm) return NOW;
    Duration wait = Backoff.jittered(t.transientErrors(), MAX_BACKOFF);
    long left = budget - t.waitedNanos();
    return new Retry(wait.toNanos() > left ? Duration.ofNanos(left) : wait);
  }
}
