package dev.gkr.sim;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * The simulator's storms and the two times they count from: its start, and the first request that
 * reaches them (a model call past the key check), for a storm that should begin after a stretch of
 * real work whatever the client's start-up took. Thread-safe.
 */
final class Storms {
  private static final long NOT_YET = Long.MIN_VALUE;

  private final List<Storm> storms;
  private final LongSupplier clock;
  private final long startNanos;
  private final AtomicLong firstRequest = new AtomicLong(NOT_YET);

  Storms(List<Storm> storms, LongSupplier clock) {
    this.storms = List.copyOf(storms);
    this.clock = clock;
    this.startNanos = clock.getAsLong();
  }

  /** The answer of the first storm that covers this key and model now, or null. */
  Reply answer(String key, String model) {
    if (storms.isEmpty()) return null;
    long now = clock.getAsLong();
    firstRequest.compareAndSet(NOT_YET, now);
    for (Storm s : storms) {
      long since = now - (s.fromFirstRequest() ? firstRequest.get() : startNanos);
      if (s.hits(since, key, model)) return new Reply(s.status(), s.errorBody(model));
    }
    return null;
  }
}
