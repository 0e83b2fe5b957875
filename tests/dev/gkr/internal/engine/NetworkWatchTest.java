package dev.gkr.internal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gkr.ErrorType;
import dev.gkr.NetworkCause;
import dev.gkr.Outcome;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * When a run gives up on reaching Gemini (unit, time as numbers): never once an HTTP answer came,
 * and only when every usable key failed the same way before a connection, for long enough.
 */
class NetworkWatchTest {
  private static final long SECOND = 1_000_000_000L;

  private static Outcome.Failure down(NetworkCause cause) {
    return new Outcome.Failure(
            ErrorType.CONNECTION, 0, "", cause.label(), Optional.empty(), Duration.ZERO)
        .withNetwork(cause);
  }

  private static NetworkWatch watch() {
    return new NetworkWatch(2, k -> true, Duration.ofMinutes(30));
  }

  @Test
  void everyKeyRefusedForTenSecondsStopsTheRun_issue25() {
    NetworkWatch w = watch();
    Outcome.Failure refused = down(NetworkCause.CONNECTION_REFUSED);
    assertEquals(Optional.empty(), w.heard(0, refused, 0));
    assertEquals(Optional.empty(), w.heard(1, refused, SECOND));
    assertEquals(Optional.empty(), w.heard(0, refused, 2 * SECOND));
    assertEquals(Optional.empty(), w.heard(1, refused, 9 * SECOND), "not ten seconds yet");
    assertEquals(Optional.of(NetworkCause.CONNECTION_REFUSED), w.heard(1, refused, 10 * SECOND));
    assertEquals(Optional.empty(), w.heard(1, refused, 11 * SECOND), "said once");
  }

  @Test
  void aKeyThatFailedOnlyOnceKeepsTheRunGoing_issue25() {
    NetworkWatch w = watch();
    Outcome.Failure refused = down(NetworkCause.CONNECTION_REFUSED);
    for (int i = 0; i < 20; i++)
      assertEquals(Optional.empty(), w.heard(0, refused, i * SECOND), "key 0, attempt " + i);
    assertEquals(Optional.empty(), w.heard(1, refused, 30 * SECOND), "key 1 has failed once");
    assertTrue(w.heard(1, refused, 31 * SECOND).isPresent());
  }

  @Test
  void oneHttpAnswerEverMeansGeminiIsReachable_issue25() {
    NetworkWatch w = watch();
    w.heard(
        0,
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
      assertEquals(Optional.empty(), w.heard(i % 2, unknown, i * SECOND), "attempt " + i);
  }

  @Test
  void resetsAndSlowAnswersNeverCount_issue25() {
    NetworkWatch w = watch();
    for (int i = 0; i < 100; i++) {
      NetworkCause c = i % 2 == 0 ? NetworkCause.CONNECTION_RESET : NetworkCause.READ_TIMEOUT;
      assertEquals(Optional.empty(), w.heard(i % 2, down(c), i * SECOND), "attempt " + i);
    }
  }

  @Test
  void aChangeOfCauseStartsTheCountAgain_issue25() {
    NetworkWatch w = watch();
    Outcome.Failure refused = down(NetworkCause.CONNECTION_REFUSED);
    for (int i = 0; i < 4; i++) w.heard(i % 2, down(NetworkCause.UNKNOWN_HOST), i * SECOND);
    assertEquals(Optional.empty(), w.heard(0, refused, 20 * SECOND));
    assertEquals(Optional.empty(), w.heard(1, refused, 25 * SECOND));
    assertEquals(Optional.empty(), w.heard(0, refused, 26 * SECOND), "refused for 6s only");
    assertEquals(Optional.of(NetworkCause.CONNECTION_REFUSED), w.heard(1, refused, 31 * SECOND));
  }

  @Test
  void aShortMaxWaitShortensTheSpan_issue25() {
    NetworkWatch w = new NetworkWatch(1, k -> true, Duration.ofSeconds(4));
    Outcome.Failure refused = down(NetworkCause.CONNECTION_REFUSED);
    w.heard(0, refused, 0);
    assertEquals(Optional.of(NetworkCause.CONNECTION_REFUSED), w.heard(0, refused, 2 * SECOND));
  }
}
