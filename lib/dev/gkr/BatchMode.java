package dev.gkr;

import dev.gkr.internal.common.Durations;
import dev.gkr.internal.config.BatchOptions;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How a run uses Gemini Batch Mode (half the price, results within 24 hours): {@link Mode#SYNC}
 * sends one request per task (the default), {@link Mode#BATCH} sends every task in batch jobs,
 * {@link Mode#AUTO} sends synchronously what the declared quota finishes by a deadline and the rest
 * as jobs. Immutable; built with {@link #builder()}, or one of the shortcuts:
 *
 * <pre>{@code
 * Rotator.keys(k).batchMode(BatchMode.of(Mode.BATCH)).run(tasks);
 * Rotator.keys(k).limits(Limits.rpm(150)).batchMode(BatchMode.auto(Duration.ofHours(2))).run(tasks);
 * }</pre>
 */
public final class BatchMode {
  /** Synchronous requests only. */
  public static final BatchMode OFF = builder().build();

  private final Mode mode;
  private final int jobs;
  private final boolean cancelJobs;
  private final Duration deadline;
  private final Duration firstPoll;
  private final Duration maxPoll;
  private final long inlineBytes;

  private BatchMode(Builder b) {
    this.mode = b.mode;
    this.jobs = b.jobs;
    this.cancelJobs = b.cancelJobs;
    this.deadline = b.deadline;
    this.firstPoll = b.firstPoll;
    this.maxPoll = b.maxPoll;
    this.inlineBytes = b.inlineBytes;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** {@code mode} with the other settings at their defaults. */
  public static BatchMode of(Mode mode) {
    return builder().mode(mode).build();
  }

  /**
   * {@link Mode#AUTO}: synchronously what the declared quota ({@link Rotator#limits}, or the slots'
   * pacing) finishes within {@code deadline}, the rest as batch jobs at the same time.
   */
  public static BatchMode auto(Duration deadline) {
    return builder().mode(Mode.AUTO).deadline(deadline).build();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.mode = mode;
    b.jobs = jobs;
    b.cancelJobs = cancelJobs;
    b.deadline = deadline;
    b.firstPoll = firstPoll;
    b.maxPoll = maxPoll;
    b.inlineBytes = inlineBytes;
    return b;
  }

  public Mode mode() {
    return mode;
  }

  /** Batch jobs each project may have running at once. */
  public int jobs() {
    return jobs;
  }

  public boolean cancelJobs() {
    return cancelJobs;
  }

  public Optional<Duration> deadline() {
    return Optional.ofNullable(deadline);
  }

  /** These settings for a run. */
  BatchOptions options() {
    return new BatchOptions(
        mode, jobs, cancelJobs, firstPoll, maxPoll, inlineBytes, Optional.ofNullable(deadline));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BatchMode b
        && mode == b.mode
        && jobs == b.jobs
        && cancelJobs == b.cancelJobs
        && Objects.equals(deadline, b.deadline)
        && firstPoll.equals(b.firstPoll)
        && maxPoll.equals(b.maxPoll)
        && inlineBytes == b.inlineBytes;
  }

  @Override
  public int hashCode() {
    return Objects.hash(mode, jobs, cancelJobs, deadline, firstPoll, maxPoll, inlineBytes);
  }

  @Override
  public String toString() {
    return "BatchMode["
        + mode.name().toLowerCase(java.util.Locale.ROOT)
        + (mode == Mode.SYNC ? "" : ", jobs=" + jobs)
        + (cancelJobs ? ", cancelJobs" : "")
        + (deadline == null ? "" : ", deadline=" + Durations.format(deadline))
        + "]";
  }

  /** Builds {@link BatchMode}; each setter checks its argument at once. Not thread-safe. */
  public static final class Builder {
    /**
     * Inline requests while a job stays under Gemini's 20 MB request limit (with room for the
     * envelope); larger jobs go as an uploaded JSONL file.
     */
    private static final long INLINE_LIMIT = 19L * 1024 * 1024;

    private Mode mode = Mode.SYNC;
    private int jobs = 1;
    private boolean cancelJobs;
    private Duration deadline;
    private Duration firstPoll = Duration.ofSeconds(5);
    private Duration maxPoll = Duration.ofMinutes(5);
    private long inlineBytes = INLINE_LIMIT;

    private Builder() {}

    /** {@link Mode#SYNC} (default), {@link Mode#BATCH} or {@link Mode#AUTO} (with a deadline). */
    public Builder mode(Mode mode) {
      this.mode = Objects.requireNonNull(mode, "mode");
      return this;
    }

    /** {@code sync}, {@code batch} or {@code auto}, any case. */
    public Builder mode(String mode) {
      return mode(Mode.parse(mode));
    }

    /** Batch jobs each project may have running at once (the API allows 100). Default 1. */
    public Builder jobs(int jobs) {
      if (jobs < 1 || jobs > 100)
        throw new IllegalArgumentException("batchJobs must be in 1..100, was " + jobs);
      this.jobs = jobs;
      return this;
    }

    /**
     * Collect the finished jobs of the checkpoint's journal, cancel the rest, submit nothing (with
     * {@link Mode#BATCH}).
     */
    public Builder cancelJobs(boolean cancel) {
      this.cancelJobs = cancel;
      return this;
    }

    /** With {@link Mode#AUTO}: when the synchronous part must be done. */
    public Builder deadline(Duration deadline) {
      if (deadline == null || deadline.isNegative() || deadline.isZero())
        throw new IllegalArgumentException("deadline must be > 0, was " + deadline);
      this.deadline = deadline;
      return this;
    }

    public Builder deadline(String deadline) {
      return deadline(Durations.parse(deadline, "deadline"));
    }

    /** Polling of batch jobs: the first wait and the longest (tests shorten them). */
    Builder polling(Duration first, Duration max) {
      this.firstPoll = first;
      this.maxPoll = max;
      return this;
    }

    /** Jobs above this size go as an uploaded JSONL file (tests lower it). */
    Builder inlineBytes(long bytes) {
      this.inlineBytes = bytes;
      return this;
    }

    public BatchMode build() {
      return new BatchMode(this);
    }
  }
}
