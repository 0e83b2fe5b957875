package dev.gkr.internal.config;

import dev.gkr.Mode;
import java.time.Duration;
import java.util.Optional;

/**
 * Batch Mode settings, copied from the public {@code BatchMode} when a run starts.
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

  public BatchOptions withMode(Mode m) {
    return new BatchOptions(m, jobs, cancelJobs, firstPoll, maxPoll, inlineBytes, deadline);
  }
}
