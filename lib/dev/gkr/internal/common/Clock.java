package dev.gkr.internal.common;

import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;

/**
 * The engine's time: a monotonic reading, the wall time, and a way to wait on a condition until a
 * deadline. Injected so that pacing, cooldown and backoff are tested with {@code FakeClock} and
 * never really wait, and so that code under test never mixes the real wall clock with fake time
 * (events, checkpoint lines and daily parking all read {@link #instant()}).
 */
public interface Clock {
  long NO_DEADLINE = Long.MAX_VALUE;

  long nanoTime();

  /**
   * The wall time, for timestamps and calendar rules (midnight Pacific); never for measuring
   * intervals.
   */
  Instant instant();

  /**
   * Waits (the caller holds the condition's lock) until signalled or {@code deadlineNanos} passes;
   * {@link #NO_DEADLINE} waits for a signal only. May return early; callers re-check their state.
   */
  void awaitUntil(Condition condition, long deadlineNanos) throws InterruptedException;

  Clock SYSTEM =
      new Clock() {
        @Override
        public long nanoTime() {
          return System.nanoTime();
        }

        @Override
        public Instant instant() {
          return Instant.now();
        }

        @Override
        public void awaitUntil(Condition condition, long deadlineNanos)
            throws InterruptedException {
          if (deadlineNanos == NO_DEADLINE) {
            condition.await();
          } else {
            long wait = deadlineNanos - System.nanoTime();
            if (wait > 0) condition.await(wait, TimeUnit.NANOSECONDS);
          }
        }
      };
}
