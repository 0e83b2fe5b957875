package dev.gkr.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gkr.ErrorType;
import dev.gkr.FakeClock;
import dev.gkr.NetworkCause;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What the run-wide throttle counts (unit, fake clock): failures of different tasks in a row across
 * keys and projects make a storm; the same few tasks failing again and again (their file, their
 * prompt) do not, however many keys they fail on.
 */
class RunThrottleTest {
  private final FakeClock clock = new FakeClock();

  /** Three keys in two projects, all answering. */
  private RunThrottle throttle() {
    return new RunThrottle(true, new int[] {0, 0, 1}, 2, clock);
  }

  @Test
  void failuresOfManyTasksAcrossProjectsEngageIt() {
    RunThrottle t = throttle();
    boolean storm = false;
    for (int i = 0; i < RunThrottle.MIN_STREAK; i++)
      storm = t.failed(i % 3, i, i + 1, ErrorType.SERVER_ERROR, Optional.empty(), clock.nanoTime());
    assertTrue(storm, "twelve tasks failing in a row on every key is a storm");
    assertTrue(t.engaged());
  }

  @Test
  void theSameTasksFailingAgainAndAgainDoNotEngageIt_issue32() {
    RunThrottle t = throttle();
    for (int i = 0; i < 10 * RunThrottle.MIN_STREAK; i++)
      assertFalse(
          t.failed(i % 3, i % 4, i + 1, ErrorType.CONNECTION, Optional.empty(), clock.nanoTime()),
          "attempt " + i + " of four tasks that keep failing on every key");
    assertFalse(t.engaged(), "a failure that repeats on the same tasks is theirs, not a storm");
  }

  @Test
  void aStormOfNetworkErrorsNamesItsCause_issue25() {
    RunThrottle t = throttle();
    for (int i = 0; i < RunThrottle.MIN_STREAK; i++)
      t.failed(
          i % 3,
          i,
          i + 1,
          ErrorType.CONNECTION,
          Optional.empty(),
          Optional.of(NetworkCause.UNKNOWN_HOST),
          clock.nanoTime());
    assertTrue(t.engaged());
    assertEquals(
        "network errors (unknown host (DNS lookup failed))", t.snapshot(clock.nanoTime()).cause());
  }
}
