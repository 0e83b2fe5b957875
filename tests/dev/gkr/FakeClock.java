package dev.gkr;

import dev.gkr.internal.common.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;

/**
 * Virtual time for the engine: a wait with a deadline moves time forward to the deadline at once
 * instead of sleeping. Time only moves forward, so "not before" rules (pacing, cooldown, backoff)
 * hold in virtual time exactly as they would in real time, and a 7-second cooldown costs nothing. A
 * test may also move it forward by hand ({@link #advance}) and share it with the simulator ({@link
 * #nanoTime} as the simulator's clock), so that a cache's TTL runs out on both sides at once.
 */
public final class FakeClock implements Clock {
  private final AtomicLong now = new AtomicLong(1_000_000_000L);

  @Override
  public long nanoTime() {
    return now.get();
  }

  /**
   * Wall time moves with the monotonic reading, from a fixed morning (Pacific) far from midnight.
   */
  @Override
  public Instant instant() {
    return START.plusNanos(now.get());
  }

  /** Moves time forward by {@code d}, as if that much had passed. */
  public void advance(Duration d) {
    now.addAndGet(d.toNanos());
  }

  private static final Instant START = Instant.parse("2026-06-01T16:00:00Z");

  @Override
  public void awaitUntil(Condition condition, long deadlineNanos) throws InterruptedException {
    if (deadlineNanos == NO_DEADLINE) {
      condition.await();
    } else {
      now.accumulateAndGet(deadlineNanos, Math::max);
    }
  }
}
