package dev.gkr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gkr.sim.KeyBehavior;
import dev.gkr.sim.Simulator;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

/**
 * Issue 14, from Java: a plan without declared limits, and what the key table counts as a failure.
 */
class NewUserApiTest {
  static List<String> prompts(int n) {
    return IntStream.range(0, n).mapToObj(i -> "plan me " + i).toList();
  }

  @Test
  void planWithoutLimitsEstimatesFromSlotsAndEveryAndSaysSo_issue14() {
    Plan p = Rotator.keys("k1", "k2").slots(2).every("1s").plan(prompts(120));
    // 2 keys x 2 slots, each starting a request a second: 240 a minute, so 120 tasks take 30 s.
    assertEquals(240.0, p.requestsPerMinute().orElseThrow(), 1e-9);
    assertEquals(Optional.of(Duration.ofSeconds(30)), p.wallTime());
    assertEquals(Optional.empty(), p.requestsPerDay());
    assertTrue(
        p.assumptions().stream().anyMatch(a -> a.startsWith("no limits declared")),
        p.assumptions().toString());
    assertTrue(
        p.assumptions().stream()
            .anyMatch(a -> a.contains("4 slots each starting a request every 1s")),
        p.assumptions().toString());
    assertTrue(p.print().contains("assumed:   no limits declared"), p.print());
  }

  @Test
  void planWithoutLimitsOrPacingSaysTheRateIsUnknownRatherThanGuess_issue14() {
    Plan p = Rotator.keys("k1", "k2", "k3").plan(prompts(30));
    assertEquals(Optional.empty(), p.requestsPerMinute());
    assertEquals(Optional.empty(), p.wallTime());
    assertEquals(3, p.slots());
    String text = p.print();
    assertTrue(text.contains("wall time: unknown"), text);
    assertTrue(text.contains("every is 0") && text.contains("3 slots / seconds per answer"), text);
    assertTrue(
        text.contains("set every(...) or declare limits(...)"),
        "says what to do for an estimate: " + text);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                Rotator.keys("k1")
                    .plan(prompts(3))
                    .replay(600, dev.gkr.sim.SimulatorReplay::start));
    assertTrue(e.getMessage().startsWith("a replay needs pacing to compress"), e.getMessage());
  }

  @Test
  void planWithDeclaredLimitsNamesThem_issue14() {
    Plan p = Rotator.keys("k1").limits(Limits.rpm(10).rpd(250)).plan(prompts(5));
    assertTrue(
        p.assumptions().contains("the project has the declared quota: 10 per minute, 250 per day"),
        p.assumptions().toString());
    assertFalse(p.print().contains("no limits declared"), p.print());
  }

  @Test
  void keyTableCountsRateLimitedAnswersApartFromFailures_issue14() {
    try (Simulator sim =
        Simulator.builder()
            .key("limited-key-0001", KeyBehavior.rateLimitedFirst(2, Duration.ofMillis(20)))
            .start()) {
      Rotator r =
          Rotator.keys("limited-key-0001")
              .baseUrl(sim.baseUrl())
              .retries(Retries.builder().maxRetries(0).build());
      Table results = r.run(List.of("fine", "blocked [[sim:safety]]"));
      assertEquals(1, results.booleanColumn("success").countTrue(), results.print());
      Table keys = r.stats().keyTable();
      assertEquals(2, keys.longColumn("rate_limited").get(0), keys.print());
      assertEquals(
          1,
          keys.longColumn("failures").get(0),
          "the safety block only, not the two 429s: " + keys.print());
      assertEquals(4, keys.longColumn("requests").get(0), keys.print());
    }
  }
}
