package dev.gkr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gkr.sim.KeyBehavior;
import dev.gkr.sim.Quota;
import dev.gkr.sim.Simulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

/** Projects, declared limits, adaptive pacing and daily parking against the simulator's per-project quotas. */
class QuotaTest {
  @TempDir Path dir;

  static List<String> prompts(String p, int n) {
    return IntStream.range(0, n).mapToObj(i -> p + " " + i).toList();
  }

  static long refused(Simulator sim) {
    return sim.requests().stream().filter(q -> q.status() == 429).count();
  }

  @Test
  void correctlyDeclaredLimitsMeanZeroRefusedRequests() {
    Quota quota = Quota.per(10, Duration.ofSeconds(1));
    try (Simulator unpaced = Simulator.builder().project("p", quota, "proj-key-a1", "proj-key-b2").start()) {
      Rotator.keys("proj-key-a1", "proj-key-b2").slots(3).baseUrl(unpaced.baseUrl()).run(prompts("unpaced", 30));
      assertTrue(refused(unpaced) > 0, "without limits this run should meet the project's quota");
    }
    try (Simulator sim = Simulator.builder().project("p", quota, "proj-key-a1", "proj-key-b2").start()) {
      Rotator r = Rotator.keys("proj-key-a1", "proj-key-b2").project("p", "proj-key-a1", "proj-key-b2").slots(3)
          .limits(Limits.per(10, Duration.ofSeconds(1))).baseUrl(sim.baseUrl());
      Table t = r.run(prompts("paced", 30));
      assertEquals(30, t.booleanColumn("success").countTrue());
      assertEquals(0, refused(sim), "a request was sent that the declared quota would refuse");
      assertTrue(r.stats().keyTable().doubleColumn("rpm").sum() > 0, "the stats show the paced rate per key");
      assertTrue(r.stats().statusLine().contains("paced 570.0 rpm"), r.stats().statusLine()); // 95 % of 10/s
    }
  }

  @Test
  void declaredTokenLimitMeansZeroRefusedRequests() {
    Quota quota = Quota.per(0, Duration.ofSeconds(1)).tokens(300); // 300 input tokens per second, any number of requests
    List<String> prompts = IntStream.range(0, 24).mapToObj(i -> "t".repeat(190) + " token-heavy " + i).toList(); // ~51 tokens each
    try (Simulator unpaced = Simulator.builder().project("p", quota, "tok-key-a1", "tok-key-b2").start()) {
      Rotator.keys("tok-key-a1", "tok-key-b2").slots(3).baseUrl(unpaced.baseUrl()).run(prompts);
      assertTrue(refused(unpaced) > 0, "without a token limit this run should meet the project's token quota");
    }
    try (Simulator sim = Simulator.builder().project("p", quota, "tok-key-a1", "tok-key-b2").start()) {
      Rotator r = Rotator.keys("tok-key-a1", "tok-key-b2").project("p", "tok-key-a1", "tok-key-b2").slots(3)
          .limits(Limits.per(0, Duration.ofSeconds(1)).tpm(300)).baseUrl(sim.baseUrl());
      Table t = r.run(prompts);
      assertEquals(24, t.booleanColumn("success").countTrue());
      assertEquals(0, refused(sim), "a request was sent that the declared token quota would refuse");
      assertTrue(r.timeline().doubleColumn("start_s").max() >= 3.0, "24 x ~51 tokens at <= 285/s cannot finish sooner");
    }
  }

  @Test
  void limitsDeclaredTooHighRecoverByAdaptingTheRate() {
    try (Simulator sim = Simulator.builder().project("p", Quota.per(4, Duration.ofSeconds(1)), "hi-key-a1", "hi-key-b2").start()) {
      Rotator r = Rotator.keys("hi-key-a1", "hi-key-b2").project("p", "hi-key-a1", "hi-key-b2").slots(2)
          .limits(Limits.per(20, Duration.ofSeconds(1))).maxConsecutiveRateLimits(1000).baseUrl(sim.baseUrl());
      Table t = r.run(prompts("too high", 40));
      assertEquals(40, t.booleanColumn("success").countTrue());
      Table tl = r.timeline();
      int half = tl.rowCount() / 2;
      long early = tl.first(half).stringColumn("outcome").isEqualTo("rate_limited").size();
      long late = tl.last(tl.rowCount() - half).stringColumn("outcome").isEqualTo("rate_limited").size();
      assertTrue(early > 0, "the declared limit was too high, 429s were expected");
      assertTrue(late < early, "the rate did not adapt: " + early + " 429s early, " + late + " late");
    }
  }

  @Test
  void perDay429ParksTheWholeProjectAndARerunTheSameDaySendsNothingOnIt() throws Exception {
    Path cp = dir.resolve("daily.checkpoint.jsonl");
    String spentA = "daily-project-key-0000a1";
    String spentB = "daily-project-key-0000b2";
    String fresh = "daily-other-key-00000c3";
    try (Simulator sim = Simulator.builder().key(spentA, KeyBehavior.dailyLimitReached()).start()) {
      Rotator r = Rotator.keys(spentA, spentB, fresh).project("p", spentA, spentB).baseUrl(sim.baseUrl()).checkpoint(cp);
      Table t = r.run(prompts("first run", 12));
      assertEquals(12, t.booleanColumn("success").countTrue());
      assertEquals(List.of("parked", "parked", "active"), r.stats().keys().stream().map(RunStats.KeyStats::state).toList(),
          "the project's daily quota is spent: both its keys are parked");
      Path parkedFile = ParkedKeys.besides(cp);
      assertTrue(Files.exists(parkedFile));
      String parkedText = Files.readString(parkedFile);
      assertFalse(parkedText.contains(spentA) || parkedText.contains(spentB), "a whole key in the parked-keys file");

      int before = sim.requests().size();
      Rotator again = Rotator.keys(spentA, spentB, fresh).project("p", spentA, spentB).baseUrl(sim.baseUrl()).checkpoint(cp);
      again.run(prompts("second run", 6));
      assertEquals(6, sim.requests().size() - before);
      assertTrue(sim.requests().subList(before, sim.requests().size()).stream().allMatch(q -> q.key().equals("…00c3")),
          "a parked key was used again the same day");
    }
  }

  @Test
  void declaredDailyLimitStopsTheProjectForTheDay() {
    try (Simulator sim = Simulator.builder().start()) {
      Rotator r = Rotator.keys("rpd-key-0001").limits(Limits.rpm(6000).rpd(5)).baseUrl(sim.baseUrl());
      Table t = r.run(prompts("rpd", 8));
      assertEquals(5, sim.requests().size());
      assertEquals(5, t.booleanColumn("success").countTrue());
      assertEquals(3, t.stringColumn("error_type").isEqualTo("no_usable_keys").size());
    }
  }

  @Test
  void replayChecksThePlanOnTheSimulatorInCompressedTime() {
    Rotator r = Rotator.keys("rk1", "rk2", "rk3", "rk4").project("p1", "rk1", "rk2").project("p2", "rk3", "rk4")
        .slots(2).limits(Limits.rpm(60).rpd(50));
    PlanReplay replay = r.replayPlan(prompts("replay me", 150), 60);
    assertEquals(0, replay.refused(), "the declared limits were honoured against quotas equal to them");
    assertEquals(100, replay.finishedFirstDay(), "two projects x 50 requests per day");
    assertEquals(2, replay.plan().days());
    double estimated = replay.plan().wallTime().orElseThrow().toMillis();
    double measured = replay.replayedWallTime().toMillis();
    assertTrue(measured > 0.8 * estimated && measured < 1.5 * estimated, "estimate " + estimated + " ms, replay " + measured + " ms");
  }

  @Test
  void midnightPacificIsWhenDailyQuotasReset() {
    assertEquals(Instant.parse("2026-11-29T08:00:00Z"), ParkedKeys.nextMidnightPacific(Instant.parse("2026-11-28T20:00:00Z")));
    assertEquals(Instant.parse("2026-07-02T07:00:00Z"), ParkedKeys.nextMidnightPacific(Instant.parse("2026-07-01T07:00:00Z")));
  }

  @Test
  void planEstimatesRateWallTimeDaysAndTokens() {
    Rotator r = Rotator.keys("k1", "k2", "k3", "k4").project("p1", "k1", "k2").project("p2", "k3", "k4")
        .slots(2).every("12s").limits(Limits.rpm(10).rpd(100));
    Plan p = r.plan(prompts("plan me", 300));
    assertEquals(2, p.projects());
    assertEquals(8, p.slots());
    assertEquals(19.0, p.requestsPerMinute().orElseThrow(), 1e-9, "the limits (2 x 10 rpm at 95 %) bind before the slots (40 rpm)");
    assertEquals(Optional.of(200), p.requestsPerDay());
    assertEquals(2, p.days());
    assertEquals(Optional.of(Duration.ofMillis(200 * 60_000 / 19)), p.wallTime());
    assertTrue(p.print().contains("19.0 requests/minute"), p.print());
    Plan byTokens = Rotator.keys("k1").limits(Limits.tokensPerMinute(1_000)).plan(List.of("x".repeat(400), "y".repeat(400)));
    assertEquals(9.5, byTokens.requestsPerMinute().orElseThrow(), 1e-9, "1,000 tokens/min at 95 % over ~100-token tasks");
  }
}
