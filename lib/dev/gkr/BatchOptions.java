package dev.gkr;

import java.time.Duration;

/**
 * Batch Mode settings (issue 19), copied from {@link Rotator} when a run starts.
 *
 * @param jobs jobs each project may have running at once (the API allows 100 per project)
 * @param cancelJobs collect finished jobs of the journal, cancel the others, and submit nothing
 * @param firstPoll the first wait between polls of a job; each wait without news is 1.5 times longer
 * @param maxPoll the longest wait between polls
 * @param inlineBytes jobs up to this size go inline in the create request; larger ones as an uploaded JSONL file
 */
record BatchOptions(Mode mode, int jobs, boolean cancelJobs, Duration firstPoll, Duration maxPoll, long inlineBytes) {
  /** Inline requests while a job stays under Gemini's 20 MB request limit (with room for the envelope). */
  static final long INLINE_LIMIT = 19L * 1024 * 1024;
  static final BatchOptions DEFAULT = new BatchOptions(Mode.SYNC, 1, false, Duration.ofSeconds(5), Duration.ofMinutes(5), INLINE_LIMIT);
}
