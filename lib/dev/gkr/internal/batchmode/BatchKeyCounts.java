package dev.gkr.internal.batchmode;

import dev.gkr.KeyStats;
import dev.gkr.KeyStatus;
import dev.gkr.Outcome;
import dev.gkr.RunStats;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The per-key counts of Batch Mode, for {@link RunStats#keys()}: {@code requests} are the requests
 * in the jobs created (or re-attached) with the key; {@code successes}, {@code rateLimited} (a 429
 * inside a job's results) and {@code failures} (any other failed answer, and each task of a job
 * that ended FAILED or EXPIRED) are counted when a job is collected. Written by the batch thread,
 * read by any thread taking stats.
 */
final class BatchKeyCounts {
  private final AtomicLongArray requests;
  private final AtomicLongArray successes;
  private final AtomicLongArray rateLimited;
  private final AtomicLongArray failures;
  private final AtomicLongArray retired;
  private final AtomicInteger truncated = new AtomicInteger();
  private final AtomicInteger tasksFailed = new AtomicInteger();

  BatchKeyCounts(int keys) {
    requests = new AtomicLongArray(keys);
    successes = new AtomicLongArray(keys);
    rateLimited = new AtomicLongArray(keys);
    failures = new AtomicLongArray(keys);
    retired = new AtomicLongArray(keys);
  }

  void submitted(int key, int tasks) {
    requests.addAndGet(key, tasks);
  }

  /** A success; {@code truncated} when its answer was cut off at maxOutputTokens (and kept). */
  void succeeded(int key, boolean truncated) {
    successes.incrementAndGet(key);
    if (truncated) this.truncated.incrementAndGet();
  }

  /** A failed answer: a 429 is counted as rate-limited, anything else as a failure. */
  void failed(int key, Outcome.Failure f) {
    (f.httpCode() == 429 ? rateLimited : failures).incrementAndGet(key);
  }

  /** The key's create call was refused as invalid, suspended or denied. */
  void retired(int key) {
    retired.set(key, 1);
  }

  /** A task of a job ended failed (one that succeeded is one of {@link #succeeded}'s). */
  void taskFailed() {
    tasksFailed.incrementAndGet();
  }

  /** Tasks of jobs that ended with a success: each success ends its task. */
  int tasksSucceeded() {
    return (int) sum(successes);
  }

  int tasksFailed() {
    return tasksFailed.get();
  }

  /** Successes cut off at maxOutputTokens, in all. */
  int truncated() {
    return truncated.get();
  }

  long requests() {
    return sum(requests);
  }

  long rateLimited() {
    return sum(rateLimited);
  }

  private static long sum(AtomicLongArray a) {
    long n = 0;
    for (int i = 0; i < a.length(); i++) n += a.get(i);
    return n;
  }

  /** The key's synchronous counts plus its batch counts. */
  KeyStats addTo(KeyStats k, int key) {
    return new KeyStats(
        k.key(),
        k.project(),
        retired.get(key) == 1 ? KeyStatus.RETIRED : k.state(),
        k.requests() + requests.get(key),
        k.successes() + successes.get(key),
        k.rateLimited() + rateLimited.get(key),
        k.failures() + failures.get(key),
        k.requestsPerMinute(),
        k.costUsd(),
        k.successesPerModel());
  }
}
