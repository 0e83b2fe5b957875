package dev.gkr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gkr.sim.Quota;
import dev.gkr.sim.SimRequest;
import dev.gkr.sim.Simulator;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

/**
 * Issue 26: Gemini counts a project's requests, tokens and days per model, so declared limits may
 * name a model, and a run that falls back paces the fallback by its own quota, not the primary's.
 * Over real HTTP on the simulator, whose project quotas are per model too.
 */
class PerModelLimitsTest {
  private static final String PRO = "gemini-2.5-pro";
  private static final String FLASH = "gemini-2.5-flash";
  private static final List<String> KEYS =
      List.of("pm-key-a1-00001", "pm-key-a2-00002", "pm-key-b1-00003", "pm-key-b2-00004");

  private static List<String> prompts(int n) {
    return IntStream.range(0, n).mapToObj(i -> "per model " + i).toList();
  }

  @Test
  void theFallbackIsPacedByItsOwnDeclaredLimit_issue26() {
    // Short windows of real time, as the simulator's quotas count real time (EngineTest does too).
    Duration window = Duration.ofMillis(500);
    try (Simulator s =
        Simulator.builder()
            .missingModel("gemini-0-retired")
            .project("pa", Quota.per(10, window), KEYS.get(0), KEYS.get(1))
            .start()) {
      // 100 a window would be refused by flash's quota of 10 in the project: only flash's own
      // declared limit keeps the run clear of 429s.
      Rotator r =
          Rotator.keys(KEYS.get(0), KEYS.get(1))
              .project("pa", KEYS.get(0), KEYS.get(1))
              .slots(3)
              .baseUrl(s.baseUrl())
              .model("gemini-0-retired")
              .fallbackModels(FLASH)
              .limits(Limits.per(100, window).model(FLASH, Limits.per(10, window)));
      Table t = r.run(prompts(40));
      assertEquals(40, t.booleanColumn("success").countTrue(), t.print());
      List<SimRequest> flash = s.requests().stream().filter(q -> q.model().equals(FLASH)).toList();
      assertEquals(
          0,
          flash.stream().filter(q -> q.status() == 429).count(),
          "no 429 on flash: "
              + flash.stream().map(q -> (q.nanos() / 1_000_000L) + "ms:" + q.status()).toList());
      assertEquals(40, flash.size());
      assertEquals(
          10 * 0.95 * 120,
          r.stats().pacedRequestsPerMinute(),
          1e-6,
          "paced as the model asked now");
    }
  }

  @Test
  void aModelsDeclaredDailyLimitMovesTheRunToTheNextModel_issue26() {
    try (Simulator s =
        Simulator.builder()
            .project("pa", Quota.unlimited(), KEYS.get(0), KEYS.get(1))
            .project("pb", Quota.unlimited(), KEYS.get(2), KEYS.get(3))
            .start()) {
      List<RotatorEvent> events = new CopyOnWriteArrayList<>();
      Rotator r =
          Rotator.keys(KEYS)
              .project("pa", KEYS.get(0), KEYS.get(1))
              .project("pb", KEYS.get(2), KEYS.get(3))
              .slots(2)
              .baseUrl(s.baseUrl())
              .model(PRO)
              .fallbackModels(FLASH)
              .limits(Limits.rpm(0).model(PRO, Limits.rpm(0).rpd(5)))
              .onEvent(events::add);
      Table t = r.run(prompts(40));
      assertEquals(40, t.booleanColumn("success").countTrue(), t.print());
      assertEquals(10, t.stringColumn("model").isEqualTo(PRO).size(), "5 a day in each project");
      assertEquals(30, t.stringColumn("model").isEqualTo(FLASH).size());
      assertEquals(4, r.stats().keysIn(KeyStatus.ACTIVE), "no key parked: " + r.stats().print());
      assertTrue(
          events.stream()
              .anyMatch(
                  e ->
                      e instanceof RotatorEvent.Notice n
                          && n.message()
                              .contains("declared daily limit of 5 reached for model " + PRO)),
          events.toString());
    }
  }

  @Test
  void withoutFallbacksADeclaredDailyLimitStillParksTheProject_issue26() {
    try (Simulator s = Simulator.builder().start()) {
      Rotator r =
          Rotator.keys(KEYS.get(0))
              .slots(1)
              .baseUrl(s.baseUrl())
              .model(PRO)
              .limits(Limits.rpm(0).model(PRO, Limits.rpm(0).rpd(3)));
      Table t = r.run(prompts(5));
      assertEquals(3, t.booleanColumn("success").countTrue(), t.print());
      assertEquals(1, r.stats().keysIn(KeyStatus.PARKED), r.stats().print());
    }
  }

  @Test
  void limitsNameTheirModels_issue26() {
    Limits l = Limits.rpm(1000).model(PRO, Limits.rpm(150).rpd(10_000));
    assertEquals(Limits.rpm(150).rpd(10_000), l.of(PRO));
    assertEquals(Limits.rpm(1000), l.of(FLASH));
    assertEquals("1000 per minute; gemini-2.5-pro: 150 per minute, 10000 per day", l.toString());
    assertEquals(l.models(), l.tpm(5).models(), "withers keep the models");
    org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class, () -> l.model(" ", Limits.rpm(1)));
    org.junit.jupiter.api.Assertions.assertThrows(
        IllegalArgumentException.class, () -> Limits.rpm(1).model(PRO, l));
    assertEquals(Duration.ofMinutes(1), l.of(PRO).window());
  }

  @Test
  void theSimulatorCountsEachModelOfAProjectApart_issue26() {
    try (Simulator s =
        Simulator.builder().project("pa", Quota.perMinute(1), KEYS.get(0), KEYS.get(1)).start()) {
      Rotator pro = Rotator.keys(KEYS.get(0)).baseUrl(s.baseUrl()).model(PRO);
      Rotator flash = Rotator.keys(KEYS.get(1)).baseUrl(s.baseUrl()).model(FLASH);
      assertTrue(pro.generate("one") instanceof Outcome.Success);
      assertTrue(flash.generate("one") instanceof Outcome.Success, "flash has its own minute");
      Outcome again = flash.generate("two");
      assertEquals(ErrorType.RATE_LIMITED, ((Outcome.Failure) again).type(), again.toString());
    }
  }

  @Test
  void geminisPerDay429ForOneModelMovesTheProjectToTheNext_issue26() {
    // The simulator counts days per project and model, as Gemini does: pro's 5 are spent, flash's
    // are not; no limit is declared, so only the 429 tells.
    try (Simulator s =
        Simulator.builder()
            .project("pa", Quota.unlimited().perDay(5), KEYS.get(0), KEYS.get(1))
            .start()) {
      List<RotatorEvent> events = new CopyOnWriteArrayList<>();
      Rotator r =
          Rotator.keys(KEYS.get(0), KEYS.get(1))
              .project("pa", KEYS.get(0), KEYS.get(1))
              .slots(1)
              .baseUrl(s.baseUrl())
              .model(PRO)
              .fallbackModels(FLASH)
              .onEvent(events::add);
      Table t = r.run(prompts(12));
      // Pro's 5, then flash's 5; then no model is left for the project: parked, as without one.
      assertEquals(10, t.booleanColumn("success").countTrue(), t.print());
      assertEquals(5, t.stringColumn("model").isEqualTo(PRO).size());
      assertEquals(5, t.stringColumn("model").isEqualTo(FLASH).size());
      assertTrue(
          events.stream()
              .anyMatch(
                  e ->
                      e instanceof RotatorEvent.Notice n
                          && n.message()
                              .contains("daily quota spent for model " + PRO + ": its keys go on")),
          events.toString());
      // No key parked until flash had answered too.
      int moved = -1, firstPark = -1;
      for (int i = 0; i < events.size(); i++) {
        if (moved < 0
            && events.get(i) instanceof RotatorEvent.Notice n
            && n.message().contains(PRO)) moved = i;
        if (firstPark < 0 && events.get(i) instanceof RotatorEvent.KeyParked) firstPark = i;
      }
      long doneBetween =
          events.subList(moved, firstPark).stream()
              .filter(e -> e instanceof RotatorEvent.TaskDone d && d.success())
              .count();
      assertTrue(moved >= 0 && doneBetween >= 5, moved + " " + firstPark + " " + events);
      assertEquals(2, r.stats().keysIn(KeyStatus.PARKED), r.stats().print());
    }
  }
}
