package dev.gkr;

import dev.gkr.internal.common.Clock;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;

/**
 * Compressed real time: every thread sees the same clock, running {@code factor} times faster than
 * the wall clock, and waits really wait (for 1/factor of the time). Unlike {@link FakeClock}, where
 * one thread's wait moves time forward for everyone at once, the order of events is as in real
 * time, so races between keys (one key's cooldowns against another's answers) play out as they
 * would, only faster: a two-minute storm takes two seconds at 60x.
 */
final class ScaledClock implements Clock {
  private final long origin = System.nanoTime();
  private final long factor;

  ScaledClock(long factor) {
    this.factor = factor;
  }

  @Override
  public long nanoTime() {
    return origin + (System.nanoTime() - origin) * factor;
  }

  /**
   * Wall time runs at the same speed as {@link #nanoTime()}, from the moment the clock was made.
   */
  @Override
  public java.time.Instant instant() {
    return start.plusNanos(nanoTime() - origin);
  }

  private final java.time.Instant start = java.time.Instant.now();

  @Override
  public void awaitUntil(Condition condition, long deadlineNanos) throws InterruptedException {
    if (deadlineNanos == NO_DEADLINE) {
      condition.await();
    } else {
      long wait = (deadlineNanos - nanoTime()) / factor;
      if (wait > 0) condition.await(wait, TimeUnit.NANOSECONDS);
    }
  }
}
