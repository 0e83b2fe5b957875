package dev.gkr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gkr.sim.KeyBehavior;
import dev.gkr.sim.SimRequest;
import dev.gkr.sim.Simulator;
import dev.gkr.sim.Storm;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Row;
import tech.tablesaw.api.Table;

/**
 * Issue 26: fallback models. An overload storm on the run's model moves new requests to the
 * fallback after {@code fallbackAfter}, the stormed model is probed and the run returns to it, each
 * task is answered once, each row names the model asked and is priced as that model. Storms run in
 * compressed real time ({@link ScaledClock}, 30x), as in {@link ThrottlingTest}.
 */
class FallbackModelsTest {
  /**
   * Slower than {@link ThrottlingTest}'s 60x: the storm counts from the simulator's start, and on a
   * loaded machine building the run's transport takes a second or more of real time.
   */
  private static final int SPEEDUP = 30;

  private static final String PRO = "gemini-2.5-pro";
  private static final String FLASH = "gemini-2.5-flash";
  private static final List<String> KEYS =
      List.of("fb-key-a1-00001", "fb-key-a2-00002", "fb-key-b1-00003", "fb-key-b2-00004");

  private static Simulator.Builder sim(ScaledClock clock) {
    return Simulator.builder()
        .clock(clock::nanoTime)
        .project("pa", dev.gkr.sim.Quota.unlimited(), KEYS.get(0), KEYS.get(1))
        .project("pb", dev.gkr.sim.Quota.unlimited(), KEYS.get(2), KEYS.get(3));
  }

  private static Rotator rotator(Simulator sim, ScaledClock clock) {
    return Rotator.keys(KEYS)
        .project("pa", KEYS.get(0), KEYS.get(1))
        .project("pb", KEYS.get(2), KEYS.get(3))
        .slots(3)
        .baseUrl(sim.baseUrl())
        .clock(clock);
  }

  private static List<String> prompts(int n) {
    return IntStream.range(0, n).mapToObj(i -> "fallback " + i).toList();
  }

  /** When the simulator received {@code q}, in the run's compressed time since {@code start}. */
  private static long scaled(java.time.Instant start, SimRequest q) {
    return Duration.between(start, q.time()).toNanos() * SPEEDUP;
  }

  private static long count(List<SimRequest> rs, String model, int status) {
    return rs.stream().filter(q -> q.model().equals(model) && q.status() == status).count();
  }

  @Test
  void overloadStormOnPrimaryMovesToFallbackAndBack_issue26() {
    ScaledClock clock = new ScaledClock(SPEEDUP);
    Storm storm = Storm.of(Storm.Kind.OVERLOADED, Duration.ZERO, Duration.ofMinutes(3)).model(PRO);
    try (Simulator s = sim(clock).storm(storm).start()) {
      java.time.Instant start = java.time.Instant.now(); // the simulator logs real time
      Rotator r =
          rotator(s, clock)
              .model(PRO)
              .fallbackModels(FLASH)
              .every("12s")
              .retries(Retries.builder().fallbackAfter("20s").build());
      Table t = r.run(prompts(360));
      assertEquals(360, t.booleanColumn("success").countTrue(), t.print());
      List<SimRequest> rs = s.requests();
      assertEquals(360, rs.stream().filter(q -> q.status() == 200).count(), "each task once");
      Set<String> answered = new HashSet<>();
      for (SimRequest q : rs)
        if (q.status() == 200) assertTrue(answered.add(q.prompt()), q.prompt());
      long flashRows = t.stringColumn("model").isEqualTo(FLASH).size();
      long proRows = t.stringColumn("model").isEqualTo(PRO).size();
      assertTrue(
          flashRows > 0 && proRows > 0,
          "pro "
              + proRows
              + ", flash "
              + flashRows
              + " "
              + r.stats().slowdown()
              + " "
              + count(rs, PRO, 503));
      assertEquals(360, flashRows + proRows);
      assertEquals(
          java.util.Map.of(PRO, (int) proRows, FLASH, (int) flashRows),
          r.stats().succeededPerModel());
      assertTrue(r.stats().print().contains("answered by model: "), r.stats().print());
      long firstPro = rs.stream().mapToLong(q -> scaled(start, q)).min().orElseThrow();
      long switchedAfter =
          rs.stream()
                  .filter(q -> q.model().equals(FLASH))
                  .mapToLong(q -> scaled(start, q))
                  .min()
                  .orElseThrow()
              - firstPro;
      // Not before fallbackAfter; the storm engages within the first round of 12 slots (12 s), and
      // at 30x a loaded machine's pauses add scaled seconds: the upper bound only says "well
      // before the three-minute storm ends".
      assertTrue(
          switchedAfter >= Duration.ofSeconds(19).toNanos()
              && switchedAfter < Duration.ofSeconds(110).toNanos(),
          "switched after "
              + Duration.ofNanos(switchedAfter)
              + " "
              + rs.stream().filter(q -> q.model().equals(FLASH)).limit(3).toList());
      long stormEnd = Duration.ofMinutes(3).toNanos();
      long proAfterStorm =
          rs.stream()
              .filter(
                  q -> q.model().equals(PRO) && q.status() == 200 && scaled(start, q) > stormEnd)
              .count();
      assertTrue(proAfterStorm > 50, "the run came back to pro: " + proAfterStorm);
      long intoStorm = count(rs, PRO, 503);
      // The first round before the throttle engages, its probes, then one probe of the model left
      // behind at a time (1 s doubling to 30 s): about 30 here; the bound leaves room for a loaded
      // machine, where scaled-time pauses let more of the first round out before the storm engages.
      // Without the throttle every one of the 360 tasks would meet the storm, most several times.
      assertTrue(
          intoStorm < 100,
          "requests sent into the storm: "
              + intoStorm
              + " "
              + rs.stream()
                  .filter(q -> q.status() == 503)
                  .map(q -> (scaled(start, q) / 1_000_000_000L) + "s:" + q.prompt().substring(9))
                  .toList());
      for (Row row : t) {
        String asked = row.getString("model");
        double in = asked.equals(PRO) ? 1.25 : 0.30, out = asked.equals(PRO) ? 10.00 : 2.50;
        double bill =
            (row.getInt("prompt_tokens") * in
                    + (row.getInt("output_tokens") + row.getInt("thoughts_tokens")) * out)
                / 1e6;
        assertEquals(bill, row.getDouble("cost_usd"), 1e-6, "row " + row.getString("id"));
      }
    }
  }

  @Test
  void primaryNotFoundGoesToFallbackWithoutStopping_issue26() {
    ScaledClock clock = new ScaledClock(60);
    try (Simulator s = sim(clock).missingModel("gemini-0-retired").start()) {
      Rotator r = rotator(s, clock).model("gemini-0-retired").fallbackModels(FLASH);
      Table t = r.run(prompts(20));
      assertEquals(20, t.booleanColumn("success").countTrue(), t.print());
      assertEquals(20, t.stringColumn("model").isEqualTo(FLASH).size());
      assertTrue(count(s.requests(), "gemini-0-retired", 404) <= KEYS.size() * 3);
    }
  }

  @Test
  void fallbackModelsRefuseBlankAndRepeatedNames_issue26() {
    Rotator r = Rotator.keys(KEYS).model(PRO);
    assertThrows(IllegalArgumentException.class, () -> r.fallbackModels(PRO));
    assertThrows(IllegalArgumentException.class, () -> r.fallbackModels(FLASH, FLASH));
    assertThrows(IllegalArgumentException.class, () -> r.fallbackModels(" "));
  }

  @Test
  void aSettingOneModelOfTheChainRefusesIsRefusedBeforeAnyRequest_issue26() {
    try (Simulator s = Simulator.builder().start()) {
      Rotator r =
          Rotator.keys(KEYS)
              .baseUrl(s.baseUrl())
              .model("gemini-3-flash-preview")
              .fallbackModels(FLASH)
              .generation(Generation.builder().thinkingLevel("low").build());
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> r.run(prompts(2)));
      assertTrue(e.getMessage().contains("model " + FLASH), e.getMessage());
      Rotator budget =
          Rotator.keys(KEYS)
              .baseUrl(s.baseUrl())
              .model(FLASH)
              .fallbackModels("gemini-3-pro-preview")
              .generation(Generation.builder().thinkingBudget(100).build());
      e = assertThrows(IllegalArgumentException.class, () -> budget.run(prompts(2)));
      assertTrue(e.getMessage().contains("model gemini-3-pro-preview"), e.getMessage());
      assertEquals(0, s.requests().size());
    }
  }

  @Test
  void sampleProfileStormsOneModelWhileAnotherAnswers_issue26() throws Exception {
    java.util.concurrent.atomic.AtomicLong now = new java.util.concurrent.atomic.AtomicLong();
    try (Simulator s =
        Simulator.fromProfile(java.nio.file.Path.of("samples/simulator-fallback.json"))
            .clock(now::get)
            .start()) {
      now.set(Duration.ofSeconds(30).toNanos()); // inside the storm (10 s to 2 min 10 s)
      String key = "fallback-key-p1-a-000001";
      Outcome pro = Rotator.keys(key).baseUrl(s.baseUrl()).model(PRO).generate("hello");
      Outcome flash = Rotator.keys(key).baseUrl(s.baseUrl()).model(FLASH).generate("hello");
      assertEquals(ErrorType.OVERLOADED, ((Outcome.Failure) pro).type());
      assertTrue(flash instanceof Outcome.Success, flash.toString());
      now.set(Duration.ofMinutes(3).toNanos()); // after it
      Outcome later = Rotator.keys(key).baseUrl(s.baseUrl()).model(PRO).generate("hello");
      assertTrue(later instanceof Outcome.Success, later.toString());
    }
  }

  @Test
  void aCapNeedsAPriceForEveryFallbackModel_issue26() {
    try (Simulator s = Simulator.builder().start()) {
      Rotator r =
          Rotator.keys(KEYS)
              .baseUrl(s.baseUrl())
              .model(FLASH)
              .fallbackModels("gemini-2.5-flash-unpriced")
              .cost(Cost.capped(1.0));
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> r.run(prompts(2)));
      assertTrue(
          e.getMessage().contains("price for model gemini-2.5-flash-unpriced"), e.getMessage());
      assertEquals(0, s.requests().size());
    }
  }

  @Test
  void modelRefusedOnEveryKeyMovesToFallbackWithoutRetiringKeys_issue26() {
    Simulator.Builder b = Simulator.builder();
    for (String k : KEYS) b.key(k, KeyBehavior.modelDenied(PRO));
    try (Simulator s =
        b.project("pa", dev.gkr.sim.Quota.unlimited(), KEYS.get(0), KEYS.get(1))
            .project("pb", dev.gkr.sim.Quota.unlimited(), KEYS.get(2), KEYS.get(3))
            .start()) {
      List<RotatorEvent> events = new java.util.concurrent.CopyOnWriteArrayList<>();
      Rotator r =
          rotator(s, new ScaledClock(60)).model(PRO).fallbackModels(FLASH).onEvent(events::add);
      Table t = r.run(prompts(30));
      assertEquals(30, t.booleanColumn("success").countTrue(), t.print());
      assertEquals(30, t.stringColumn("model").isEqualTo(FLASH).size());
      assertEquals(KEYS.size(), r.stats().keysIn(KeyStatus.ACTIVE), r.stats().print());
      assertTrue(
          events.stream().noneMatch(e -> e instanceof RotatorEvent.KeyRetired), events.toString());
      assertTrue(
          events.stream()
              .anyMatch(
                  e ->
                      e instanceof RotatorEvent.Notice n
                          && n.message().contains("refused on every key")),
          events.toString());
      // At most one 403 per slot in flight when each key learns it: never sent to pro again.
      long refused = count(s.requests(), PRO, 403);
      assertTrue(refused >= 1 && refused <= KEYS.size() * 3, "403s: " + refused);
    }
  }

  @Test
  void aKeyRefusedOneModelWorksForTheNext_issue26() {
    // a1 and a2 may not use pro; b1 and b2 may, until they are suspended after a few answers:
    // then every key left is refused pro, and the run goes on, on flash, with a1 and a2.
    try (Simulator s =
        Simulator.builder()
            .key(KEYS.get(0), KeyBehavior.modelDenied(PRO))
            .key(KEYS.get(1), KeyBehavior.modelDenied(PRO))
            .key(KEYS.get(2), KeyBehavior.suspendedAfter(4))
            .key(KEYS.get(3), KeyBehavior.suspendedAfter(4))
            .project("pa", dev.gkr.sim.Quota.unlimited(), KEYS.get(0), KEYS.get(1))
            .project("pb", dev.gkr.sim.Quota.unlimited(), KEYS.get(2), KEYS.get(3))
            .start()) {
      Rotator r = rotator(s, new ScaledClock(60)).model(PRO).fallbackModels(FLASH);
      Table t = r.run(prompts(40));
      assertEquals(40, t.booleanColumn("success").countTrue(), t.print());
      long proRows = t.stringColumn("model").isEqualTo(PRO).size();
      assertEquals(8, proRows, "b1 and b2 answered four each on pro");
      List<SimRequest> rs = s.requests();
      for (String k : List.of(KEYS.get(0), KEYS.get(1))) {
        assertTrue(
            rs.stream()
                .anyMatch(
                    q ->
                        q.key().endsWith(k.substring(k.length() - 4))
                            && q.model().equals(FLASH)
                            && q.status() == 200),
            k
                + " answered on flash: "
                + rs.stream().map(q -> q.key() + q.model().substring(11) + q.status()).toList());
        assertEquals(
            0,
            rs.stream()
                .filter(
                    q ->
                        q.key().endsWith(k.substring(k.length() - 4))
                            && q.model().equals(FLASH)
                            && q.status() != 200)
                .count());
      }
      assertEquals(2, r.stats().keysIn(KeyStatus.RETIRED), r.stats().print());
      assertEquals(2, r.stats().keysIn(KeyStatus.ACTIVE), r.stats().print());
      // The per-key table says which model answered each key's successes.
      long flashOnA = 0;
      for (KeyStats k : r.stats().keys()) {
        if (k.project().equals("pb"))
          assertEquals(java.util.Map.of(PRO, 4L), k.successesPerModel());
        else {
          assertEquals(java.util.Set.of(FLASH), k.successesPerModel().keySet(), k.toString());
          flashOnA += k.successesPerModel().get(FLASH);
        }
      }
      assertEquals(32, flashOnA);
      Table keys = r.stats().keyTable();
      assertEquals(
          "gemini-2.5-pro 4", keys.stringColumn("successes_by_model").get(2), keys.print());
    }
  }

  @Test
  void restoredRowsCountForTheModelThatAnsweredThem_issue26(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
    ScaledClock clock = new ScaledClock(60);
    try (Simulator s = sim(clock).missingModel("gemini-0-retired").start()) {
      java.nio.file.Path checkpoint = dir.resolve("run.jsonl");
      rotator(s, clock)
          .model("gemini-0-retired")
          .fallbackModels(FLASH)
          .checkpoint(checkpoint)
          .run(prompts(12));
      Rotator again =
          rotator(s, clock).model("gemini-0-retired").fallbackModels(FLASH).checkpoint(checkpoint);
      again.run(prompts(12));
      assertEquals(12, again.stats().restored());
      assertEquals(java.util.Map.of(FLASH, 12), again.stats().succeededPerModel());
    }
  }

  @Test
  void aKeyIsRetiredOnlyWhenNoModelOfTheChainIsLeftForIt_issue26() {
    try (Simulator s =
        Simulator.builder()
            .key(KEYS.get(0), KeyBehavior.modelDenied(PRO))
            .key(KEYS.get(1), KeyBehavior.modelDenied(FLASH))
            .start()) {
      Rotator r =
          Rotator.keys(KEYS.get(0), KEYS.get(1))
              .baseUrl(s.baseUrl())
              .slots(1)
              .model(PRO)
              .fallbackModels(FLASH);
      Table t = r.run(prompts(10));
      // a1 may use only flash, a2 only pro: the run stays on pro (a2 may ask it), a1 waits.
      assertEquals(10, t.stringColumn("model").isEqualTo(PRO).size(), t.print());
      assertEquals(2, r.stats().keysIn(KeyStatus.ACTIVE), r.stats().print());
      Rotator none =
          Rotator.keys(KEYS.get(0)).baseUrl(s.baseUrl()).slots(1).model(PRO); // no fallback
      Table u = none.run(prompts(3));
      assertEquals(0, u.booleanColumn("success").countTrue(), u.print());
      assertEquals(1, none.stats().keysIn(KeyStatus.RETIRED), none.stats().print());
    }
  }

  @Test
  void aStormMayCountFromTheFirstRequest_issue26() {
    java.util.concurrent.atomic.AtomicLong now = new java.util.concurrent.atomic.AtomicLong();
    Storm storm =
        Storm.of(Storm.Kind.OVERLOADED, Duration.ofSeconds(10), Duration.ofSeconds(30))
            .model(PRO)
            .countedFromFirstRequest();
    try (Simulator s = Simulator.builder().clock(now::get).storm(storm).start()) {
      Rotator r = Rotator.keys(KEYS.get(0)).baseUrl(s.baseUrl()).model(PRO);
      now.set(Duration.ofSeconds(100).toNanos()); // a slow start: the storm has not begun
      assertTrue(r.generate("first") instanceof Outcome.Success);
      now.set(Duration.ofSeconds(115).toNanos()); // 15 s after the first request: inside it
      assertEquals(ErrorType.OVERLOADED, ((Outcome.Failure) r.generate("second")).type());
      now.set(Duration.ofSeconds(141).toNanos()); // 41 s after: over
      assertTrue(r.generate("third") instanceof Outcome.Success);
    }
  }
}
