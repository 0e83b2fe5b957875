package dev.gkr.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gkr.ErrorType;
import dev.gkr.NetworkCause;
import dev.gkr.Outcome;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * When a run gives up on reaching Gemini (unit, time as numbers): never once an HTTP answer came,
 * three failures or more in a row before a connection, one cause, for long enough.
 */
class NetworkWatchTest {
  private static final long SECOND = 1_000_000_000L;

  private static Outcome.Failure down(NetworkCause cause) {
    return new Outcome.Failure(
            ErrorType.CONNECTION, 0, "", cause.label(), Optional.empty(), Duration.ZERO)
        .withNetwork(cause);
  }

  private static NetworkWatch watch() {
    return new NetworkWatch(Duration.ofMinutes(30));
  }

  @Test
  void refusedForTenSecondsStopsTheRun_issue25() {
    NetworkWatch w = watch();
    Outcome.Failure refused = down(NetworkCause.CONNECTION_REFUSED);
    assertEquals(Optional.empty(), w.heard(refused, 0));
    assertEquals(Optional.empty(), w.heard(refused, SECOND));
    assertEquals(Optional.empty(), w.heard(refused, 2 * SECOND));
    assertEquals(Optional.empty(), w.heard(refused, 9 * SECOND), "not ten seconds yet");
    assertEquals(Optional.of(NetworkCause.CONNECTION_REFUSED), w.heard(refused, 10 * SECOND));
    assertEquals(Optional.empty(), w.heard(refused, 11 * SECOND), "said once");
  }

  @Test
  void twoFailuresInAllAreNotEnough_issue25() {
    NetworkWatch w = watch();
    Outcome.Failure refused = down(NetworkCause.CONNECTION_REFUSED);
    w.heard(refused, 0);
    assertEquals(Optional.empty(), w.heard(refused, 20 * SECOND));
    assertEquals(Optional.of(NetworkCause.CONNECTION_REFUSED), w.heard(refused, 21 * SECOND));
  }

  @Test
  void oneHttpAnswerEverMeansGeminiIsReachable_issue25() {
    NetworkWatch w = watch();
    w.heard(
        new Outcome.Failure(
            ErrorType.OVERLOADED,
            503,
            "UNAVAILABLE",
            "overloaded",
            Optional.empty(),
            Duration.ZERO),
        0);
    Outcome.Failure unknown = down(NetworkCause.UNKNOWN_HOST);
    for (int i = 1; i < 100; i++)
      assertEquals(Optional.empty(), w.heard(unknown, i * SECOND), "attempt " + i);
  }

  @Test
  void resetsBreakTheRowAndTimeoutsNeverCount_issue25() {
    NetworkWatch w = watch();
    for (int i = 0; i < 100; i++) {
      NetworkCause c = i % 2 == 0 ? NetworkCause.CONNECTION_RESET : NetworkCause.READ_TIMEOUT;
      assertEquals(Optional.empty(), w.heard(down(c), i * SECOND), "attempt " + i);
    }
    Outcome.Failure refused = down(NetworkCause.CONNECTION_REFUSED);
    w.heard(refused, 100 * SECOND);
    w.heard(refused, 101 * SECOND);
    w.heard(down(NetworkCause.CONNECTION_RESET), 102 * SECOND);
    w.heard(refused, 115 * SECOND);
    assertEquals(Optional.empty(), w.heard(refused, 116 * SECOND), "the reset broke the row");
    assertEquals(Optional.of(NetworkCause.CONNECTION_REFUSED), w.heard(refused, 125 * SECOND));
  }

  @Test
  void aChangeOfCauseStartsTheCountAgain_issue25() {
    NetworkWatch w = watch();
    Outcome.Failure refused = down(NetworkCause.CONNECTION_REFUSED);
    for (int i = 0; i < 4; i++) w.heard(down(NetworkCause.UNKNOWN_HOST), i * SECOND);
    assertEquals(Optional.empty(), w.heard(refused, 20 * SECOND));
    assertEquals(Optional.empty(), w.heard(refused, 25 * SECOND));
    assertEquals(Optional.empty(), w.heard(refused, 26 * SECOND), "refused for 6s only");
    assertEquals(Optional.of(NetworkCause.CONNECTION_REFUSED), w.heard(refused, 31 * SECOND));
  }

  @Test
  void aShortMaxWaitShortensTheSpan_issue25() {
    NetworkWatch w = new NetworkWatch(Duration.ofSeconds(4));
    Outcome.Failure refused = down(NetworkCause.CONNECTION_REFUSED);
    w.heard(refused, 0);
    w.heard(refused, SECOND);
    assertEquals(Optional.of(NetworkCause.CONNECTION_REFUSED), w.heard(refused, 2 * SECOND));
  }
}
