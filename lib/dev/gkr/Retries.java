package dev.gkr;

import dev.gkr.internal.common.Durations;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How a run meets failures: how often a task is tried again, how long it may wait through transient
 * errors, how long one request may take, and when a key that keeps refusing is parked. The same
 * rules hold for synchronous requests and Batch Mode jobs. Immutable; built with {@link
 * #builder()}, each setter checking its argument at once:
 *
 * <pre>{@code
 * Rotator.keys(k).retries(Retries.builder().maxRetries(5).maxWait("10m").build())
 * }</pre>
 *
 * <p>Defaults: 3 retries for task errors, transient errors bounded by 30 minutes of waiting (and 5
 * in a row for a 500 that repeats), a 2-minute request timeout, 12 rate limits in a row to park a
 * key, a 10-second grace period on interrupt, and failed tasks redone on resume.
 */
public final class Retries {
  /** The defaults above. */
  public static final Retries DEFAULT = builder().build();

  private final int maxRetries;
  private final Integer transientRetries;
  private final Duration maxWait;
  private final Duration timeout;
  private final int maxConsecutiveRateLimits;
  private final Duration gracePeriod;
  private final boolean retryFailed;
  private final Duration fallbackAfter;

  private Retries(Builder b) {
    this.maxRetries = b.maxRetries;
    this.transientRetries = b.transientRetries;
    this.maxWait = b.maxWait;
    this.timeout = b.timeout;
    this.maxConsecutiveRateLimits = b.maxConsecutiveRateLimits;
    this.gracePeriod = b.gracePeriod;
    this.retryFailed = b.retryFailed;
    this.fallbackAfter = b.fallbackAfter;
  }

  public static Builder builder() {
    return new Builder();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.maxRetries = maxRetries;
    b.transientRetries = transientRetries;
    b.maxWait = maxWait;
    b.timeout = timeout;
    b.maxConsecutiveRateLimits = maxConsecutiveRateLimits;
    b.gracePeriod = gracePeriod;
    b.retryFailed = retryFailed;
    b.fallbackAfter = fallbackAfter;
    return b;
  }

  /** Retries for task errors (bad request, blocked, empty answer, bad JSON). */
  public int maxRetries() {
    return maxRetries;
  }

  /** A cap on transient errors per task besides {@link #maxWait}; empty: the default caps. */
  public Optional<Integer> transientRetries() {
    return Optional.ofNullable(transientRetries);
  }

  public Duration maxWait() {
    return maxWait;
  }

  public Duration timeout() {
    return timeout;
  }

  public int maxConsecutiveRateLimits() {
    return maxConsecutiveRateLimits;
  }

  public Duration gracePeriod() {
    return gracePeriod;
  }

  public boolean retryFailed() {
    return retryFailed;
  }

  /** How long an overload storm on a model lasts before the run asks its next fallback model. */
  public Duration fallbackAfter() {
    return fallbackAfter;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Retries r
        && maxRetries == r.maxRetries
        && Objects.equals(transientRetries, r.transientRetries)
        && maxWait.equals(r.maxWait)
        && timeout.equals(r.timeout)
        && maxConsecutiveRateLimits == r.maxConsecutiveRateLimits
        && gracePeriod.equals(r.gracePeriod)
        && retryFailed == r.retryFailed
        && fallbackAfter.equals(r.fallbackAfter);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        maxRetries,
        transientRetries,
        maxWait,
        timeout,
        maxConsecutiveRateLimits,
        gracePeriod,
        retryFailed,
        fallbackAfter);
  }

  @Override
  public String toString() {
    return "Retries[maxRetries="
        + maxRetries
        + (transientRetries == null ? "" : ", transientRetries=" + transientRetries)
        + ", maxWait="
        + Durations.format(maxWait)
        + ", timeout="
        + Durations.format(timeout)
        + ", maxConsecutiveRateLimits="
        + maxConsecutiveRateLimits
        + ", gracePeriod="
        + Durations.format(gracePeriod)
        + ", retryFailed="
        + retryFailed
        + ", fallbackAfter="
        + Durations.format(fallbackAfter)
        + "]";
  }

  /** Builds {@link Retries}; each setter checks its argument at once. Not thread-safe. */
  public static final class Builder {
    private int maxRetries = 3;
    private Integer transientRetries;
    private Duration maxWait = Duration.ofMinutes(30);
    private Duration timeout = Duration.ofMinutes(2);
    private int maxConsecutiveRateLimits = 12;
    private Duration gracePeriod = Duration.ofSeconds(10);
    private boolean retryFailed = true;
    private Duration fallbackAfter = dev.gkr.internal.config.Fallbacks.DEFAULT_AFTER;

    private Builder() {}

    /** Retries for task errors (bad request, blocked, empty answer, bad JSON). Default 3. */
    public Builder maxRetries(int retries) {
      if (retries < 0)
        throw new IllegalArgumentException("maxRetries must be >= 0, was " + retries);
      this.maxRetries = retries;
      return this;
    }

    /**
     * Also caps the count of transient errors (5xx, timeouts, connection errors) a task may meet,
     * besides {@link #maxWait}; answers during a run-wide storm are not counted. Default: no cap
     * for overload, timeouts and connection errors, 5 for anything else that repeats (a 500 that
     * repeats is usually the prompt's).
     */
    public Builder transientRetries(int retries) {
      if (retries < 0)
        throw new IllegalArgumentException("transientRetries must be >= 0, was " + retries);
      this.transientRetries = retries;
      return this;
    }

    /**
     * How long a task may wait in all, between transient failures (503 overload, other 5xx,
     * timeouts, connection errors) and its next attempt, before it ends with {@code error_type =
     * overloaded} (or its last transient type); failed tasks are redone on a rerun. When the whole
     * run has been throttled by a storm for this long, the run ends and every unfinished task gets
     * {@code overloaded}. Default 30 minutes.
     */
    public Builder maxWait(Duration maxWait) {
      if (maxWait == null || maxWait.isNegative())
        throw new IllegalArgumentException("maxWait must be >= 0, was " + maxWait);
      this.maxWait = maxWait;
      return this;
    }

    /** {@link #maxWait(Duration)} from text: {@code "10m"}, {@code "90s"}. */
    public Builder maxWait(String maxWait) {
      return maxWait(Durations.parse(maxWait, "maxWait"));
    }

    /** Per-request timeout; a request that takes longer is a transient error. Default 2 minutes. */
    public Builder timeout(Duration timeout) {
      if (timeout == null || timeout.isNegative() || timeout.isZero())
        throw new IllegalArgumentException("timeout must be > 0, was " + timeout);
      this.timeout = timeout;
      return this;
    }

    public Builder timeout(String timeout) {
      return timeout(Durations.parse(timeout, "timeout"));
    }

    /**
     * A key answered with this many per-minute 429s in a row, over at least 10 s and alone, is
     * parked for the run. Default 12.
     */
    public Builder maxConsecutiveRateLimits(int n) {
      if (n < 1)
        throw new IllegalArgumentException("maxConsecutiveRateLimits must be >= 1, was " + n);
      this.maxConsecutiveRateLimits = n;
      return this;
    }

    /**
     * How long requests in flight may finish after an interrupt before they are cancelled. Default
     * 10 s.
     */
    public Builder gracePeriod(Duration grace) {
      if (grace == null || grace.isNegative())
        throw new IllegalArgumentException("gracePeriod must be >= 0, was " + grace);
      this.gracePeriod = grace;
      return this;
    }

    /** On resume, redo tasks that failed last time (default true), or keep their failed rows. */
    public Builder retryFailed(boolean retry) {
      this.retryFailed = retry;
      return this;
    }

    /**
     * With {@link Rotator#fallbackModels}: how long a run-wide overload storm on a model lasts
     * before new requests go to the next model (the storm's model is probed one request at a time,
     * and the run returns to it when it answers). Default 60 s.
     */
    public Builder fallbackAfter(Duration after) {
      if (after == null || after.isNegative())
        throw new IllegalArgumentException("fallbackAfter must be >= 0, was " + after);
      this.fallbackAfter = after;
      return this;
    }

    public Builder fallbackAfter(String after) {
      return fallbackAfter(Durations.parse(after, "fallbackAfter"));
    }

    public Retries build() {
      return new Retries(this);
    }
  }
}
