package dev.gkr.internal.embed;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gkr.Limits;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The per-text request window of embeddings (issue 29), on explicit times (ms as nanos): the pace
 * counts each pack from its send time (95 % of the limit), while a count from its answer keeps the
 * whole limit, which bounds what the server can count whenever it stamped the call.
 */
class TextWindowTest {
  private static final long MS = 1_000_000;

  @Test
  void aPackLeavesThePaceOneWindowAfterItsSendNotItsAnswerIssue29() {
    TextWindow w = new TextWindow(Limits.per(20, Duration.ofSeconds(1))); // paced at 19
    long[][] sent = {{5, 0, 300}, {5, 100, 400}, {5, 200, 500}, {4, 300, 600}};
    for (long[] p : sent) w.ended(w.start((int) p[0], p[1] * MS), p[2] * MS);
    // one more text: the first pack left the paced count at 1000 ms (its send + the window), and
    // 19 + 1 texts counted from their answers stay within the limit of 20
    assertEquals(1000 * MS, w.freeAt(600 * MS, 1));
    // five more: only when the first pack's answer is a window old may the server hold them all
    assertEquals(1300 * MS, w.freeAt(600 * MS, 5));
  }

  @Test
  void aPackInFlightHoldsItsPlacesUntilItsAnswerIssue29() {
    TextWindow w = new TextWindow(Limits.per(20, Duration.ofSeconds(1)));
    w.start(19, 0); // no answer yet
    assertEquals(Long.MAX_VALUE, w.freeAt(1500 * MS, 2), "only its answer can make room");
    assertEquals(1500 * MS, w.freeAt(1500 * MS, 1), "19 + 1 is the whole limit");
  }

  @Test
  void packsShareTheWindowEquallyIssue29() {
    assertEquals(95, new TextWindow(Limits.per(200, Duration.ofMinutes(1))).maxPack(100));
    assertEquals(95, new TextWindow(Limits.per(100, Duration.ofMinutes(1))).maxPack(100));
    assertEquals(100, new TextWindow(Limits.per(3000, Duration.ofMinutes(1))).maxPack(100));
    assertEquals(100, new TextWindow(new Limits(0, Duration.ofMinutes(1), 0, 0)).maxPack(100));
  }
}
