package dev.gkr.internal.config;

import dev.gkr.Mode;
import java.time.Duration;
import java.util.Optional;

/**
 * Batch Mode settings (issue 19), copied from {@link Rotator} when a run starts.
 *
 * @param jobs jobs each project may have running at once (the API allows 100 per project)
 * @param cancelJobs collect finished jobs of the journal, cancel the others, and submit nothing
 * @param firstPoll the first wait between polls of a job; each wait without news is 1.5 times
 *     longer
 * @param maxPoll the longest wait between polls
 * @param inlineBytes jobs up to this size go inline in the create request; larger ones as an
 *     uploaded JSONL file
 * @param deadline with {@link Mode#AUTO}: what the synchronous part must finish within
 */
public record BatchOptions(
    Mode mode,
    int jobs,
    boolean cancelJobs,
    Duration firstPoll,
    Duration maxPoll,
    long inlineBytes,
    Optional<Duration> deadline) {
  /**
   * Inline requests while a job stays under Gemini's 20 MB request limit (with room for the
   * envelope).
   */
  static final long INLINE_LIMIT = 19L * 1024 * 1024;

  public static final BatchOptions DEFAULT =
      new BatchOptions(
          Mode.SYNC,
          1,
          false,
          Duration.ofSeconds(5),
          Duration.ofMinutes(5),
          INLINE_LIMIT,
          Optional.empty());

  public BatchOptions withMode(Mode m) {
    return new BatchOptions(m, jobs, cancelJobs, firstPoll, maxPoll, inlineBytes, deadline);
  }

  public BatchOptions withJobs(int n) {
    return new BatchOptions(mode, n, cancelJobs, firstPoll, maxPoll, inlineBytes, deadline);
  }

  public BatchOptions withCancelJobs(boolean c) {
    return new BatchOptions(mode, jobs, c, firstPoll, maxPoll, inlineBytes, deadline);
  }

  public BatchOptions withPolling(Duration first, Duration max) {
    return new BatchOptions(mode, jobs, cancelJobs, first, max, inlineBytes, deadline);
  }

  public BatchOptions withInlineBytes(long bytes) {
    return new BatchOptions(mode, jobs, cancelJobs, firstPoll, maxPoll, bytes, deadline);
  }

  public BatchOptions withDeadline(Duration d) {
    return new BatchOptions(
        mode, jobs, cancelJobs, firstPoll, maxPoll, inlineBytes, Optional.of(d));
  }
}
