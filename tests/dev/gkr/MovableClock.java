package dev.gkr;

import dev.gkr.internal.common.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;

/**
 * Virtual time as {@link FakeClock} keeps it (a wait moves time to its deadline at once), that a
 * test can also move forward by hand ({@link #advance}), and share with the simulator ({@link
 * #nanoTime} as its clock), so that a cache's TTL runs out on both sides at the same moment.
 */
public final class MovableClock implements Clock {
  private static final Instant START = Instant.parse("2026-06-01T16:00:00Z");
  private final AtomicLong now = new AtomicLong(1_000_000_000L);

  @Override
  public long nanoTime() {
    return now.get();
  }

  @Override
  public Instant instant() {
    return START.plusNanos(now.get());
  }

  public void advance(Duration d) {
    now.addAndGet(d.toNanos());
  }

  @Override
  public void awaitUntil(Condition condition, long deadlineNanos) throws InterruptedException {
    if (deadlineNanos == NO_DEADLINE) condition.await();
    else now.accumulateAndGet(deadlineNanos, Math::max);
  }
}
