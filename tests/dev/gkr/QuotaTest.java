package dev.gkr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gkr.internal.engine.Timeline;
import dev.gkr.internal.keys.ParkedKeys;
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

/**
 * Projects, declared limits, adaptive pacing and daily parking against the simulator's per-project
 * quotas.
 */
class QuotaTest {
  @TempDir Path dir;

  static List<String> prompts(String p, int n) {
    return IntStream.range(0, n).mapToObj(i -> p + " " + i).toList();
  }

  static long refused(Simulator sim) {
    return sim.requests().stream().filter(q -> q.status() == 429).count();
  }

  /** The starts of one project's requests, on the run's clock, in order. */
  static List<Long> starts(Rotator r) {
    return r.timelineEntries().stream().map(Timeline.Entry::startNanos).sorted().toList();
  }

  /**
   * The exact claim, on the fake clock: the quota's own rule (no more than 10 requests in any
   * 1-second window) checked over every start the project made, and the paced rate the stats show
   * is the rate the starts kept.
   */
  @Test
  void declaredLimitsKeepEveryWindowWithinTheQuotaOnTheFakeClock() {
    try (Simulator sim = Simulator.builder().start()) {
      Rotator r =
          Rotator.keys("proj-key-a1", "proj-key-b2")
              .project("p", "proj-key-a1", "proj-key-b2")
              .slots(3)
              .limits(Limits.per(10, Duration.ofSeconds(1)))
              .baseUrl(sim.baseUrl())
              .clock(new FakeClock());
      Table t = r.run(prompts("paced", 60));
      assertEquals(60, t.booleanColumn("success").countTrue());
      List<Long> starts = starts(r);
      for (int i = 0; i + 10 < starts.size(); i++) {
        assertTrue(
            starts.get(i + 10) - starts.get(i) >= Duration.ofSeconds(1).toNanos(),
            "11 requests started within one second, from start " + i);
      }
      double measuredRpm =
          (starts.size() - 1) * 60e9 / (starts.get(starts.size() - 1) - starts.get(0));
      double shownRpm = r.stats().pacedRequestsPerMinute();
      assertEquals(
          measuredRpm,
          shownRpm,
          measuredRpm * 0.01,
          "the stats show a paced rate the run did not keep");
      assertTrue(
          shownRpm < 600 && shownRpm >= 540,
          "paced " + shownRpm + " rpm: not under the declared 600 with a small headroom");
      assertTrue(
          r.stats()
              .statusLine()
              .contains(String.format(java.util.Locale.ROOT, "paced %.1f rpm", shownRpm)),
          r.stats().statusLine());
    }
  }

  /**
   * End to end in real time, against a server that enforces its quota by arrival. Margin: gkr paces
   * to the declared 6 per second (at most 5.7/s), the server allows 10 per second, so 11 arrivals
   * within a second would need one request held up about 0.75 s longer than the one ten later, far
   * beyond what a busy machine does to a loopback request. (With the limit declared exactly at the
   * quota the margin would be 5 %, 50 ms, which a loaded machine can eat; that exact claim is
   * checked on the fake clock above.)
   */
  @Test
  void declaredLimitsMeanZeroRefusedRequestsAtTheServer() {
    Quota quota = Quota.per(10, Duration.ofSeconds(1));
    try (Simulator unpaced =
        Simulator.builder().project("p", quota, "proj-key-a1", "proj-key-b2").start()) {
      Rotator.keys("proj-key-a1", "proj-key-b2")
          .slots(3)
          .baseUrl(unpaced.baseUrl())
          .run(prompts("unpaced", 60));
      assertTrue(refused(unpaced) > 0, "without limits this run should meet the project's quota");
    }
    try (Simulator sim =
        Simulator.builder().project("p", quota, "proj-key-a1", "proj-key-b2").start()) {
      Rotator r =
          Rotator.keys("proj-key-a1", "proj-key-b2")
              .project("p", "proj-key-a1", "proj-key-b2")
              .slots(3)
              .limits(Limits.per(6, Duration.ofSeconds(1)))
              .baseUrl(sim.baseUrl());
      Table t = r.run(prompts("paced", 20));
      assertEquals(20, t.booleanColumn("success").countTrue());
      assertEquals(0, refused(sim), "a request was sent that the server's quota refused");
      assertEquals(20, sim.requests().size());
    }
  }

  /**
   * Real time, and still robust under load: a token reservation leaves gkr's window only one window
   * after its answer, and the server stamps a request between its start and its answer, so every
   * request the server counts when one arrives was still reserved when the last of them started;
   * delays cannot crowd the window.
   */
  @Test
  void declaredTokenLimitMeansZeroRefusedRequests() {
    Quota quota =
        Quota.per(0, Duration.ofSeconds(1))
            .tokens(300); // 300 input tokens per second, any number of requests
    List<String> prompts =
        IntStream.range(0, 24)
            .mapToObj(i -> "t".repeat(190) + " token-heavy " + i)
            .toList(); // ~51 tokens each
    try (Simulator unpaced =
        Simulator.builder().project("p", quota, "tok-key-a1", "tok-key-b2").start()) {
      Rotator.keys("tok-key-a1", "tok-key-b2").slots(3).baseUrl(unpaced.baseUrl()).run(prompts);
      assertTrue(
          refused(unpaced) > 0,
          "without a token limit this run should meet the project's token quota");
    }
    try (Simulator sim =
        Simulator.builder().project("p", quota, "tok-key-a1", "tok-key-b2").start()) {
      Rotator r =
          Rotator.keys("tok-key-a1", "tok-key-b2")
              .project("p", "tok-key-a1", "tok-key-b2")
              .slots(3)
              .limits(Limits.per(0, Duration.ofSeconds(1)).tpm(300))
              .baseUrl(sim.baseUrl());
      Table t = r.run(prompts);
      assertEquals(24, t.booleanColumn("success").countTrue());
      assertEquals(
          0, refused(sim), "a request was sent that the declared token quota would refuse");
      // By the time of the last start every task's tokens have started, and at most one window's
      // worth (300) can
      // start per second after the first: so the last start comes at least total/300 - 1 seconds
      // in, with the
      // total as the server counted it (not gkr's estimate).
      double total = t.intColumn("prompt_tokens").sum();
      double last = r.stats().timeline().doubleColumn("start_s").max();
      assertTrue(
          last >= total / 300 - 1,
          total + " tokens at <= 300/s cannot all start within " + last + " s");
    }
  }

  /**
   * On the fake clock: the server refuses each key's first two requests (as if the declared limit
   * were too high); each 429 halves the project's rate, and clean answers bring it back. Seen in
   * the gaps between the project's starts: never shorter than the declared pace, at least four
   * times longer after the 429s, and back to the declared pace at the end.
   */
  @Test
  void limitsDeclaredTooHighSlowDownOn429sAndRecover() {
    Duration delay = Duration.ofMillis(1);
    try (Simulator sim =
        Simulator.builder()
            .key("hi-key-a1", KeyBehavior.rateLimitedFirst(2, delay))
            .key("hi-key-b2", KeyBehavior.rateLimitedFirst(2, delay))
            .start()) {
      Rotator r =
          Rotator.keys("hi-key-a1", "hi-key-b2")
              .project("p", "hi-key-a1", "hi-key-b2")
              .slots(2)
              .limits(Limits.per(20, Duration.ofSeconds(1)))
              .baseUrl(sim.baseUrl())
              .clock(new FakeClock());
      Table t = r.run(prompts("too high", 300));
      assertEquals(300, t.booleanColumn("success").countTrue());
      assertEquals(4, refused(sim));
      List<Long> starts = starts(r);
      long declared = Duration.ofSeconds(1).toNanos() / 20;
      long widest = 0;
      for (int i = 1; i < starts.size(); i++) {
        long gap = starts.get(i) - starts.get(i - 1);
        assertTrue(
            gap >= declared,
            "two starts " + gap / 1e6 + " ms apart: faster than the declared 20 per second");
        widest = Math.max(widest, gap);
      }
      assertTrue(
          widest >= 4 * declared,
          "after four 429s the pace never slowed below a quarter: widest gap "
              + widest / 1e6
              + " ms");
      long last = starts.get(starts.size() - 1) - starts.get(starts.size() - 2);
      assertTrue(last < 1.5 * declared, "the rate did not recover: last gap " + last / 1e6 + " ms");
    }
  }

  /**
   * Real time, where the server's quota (4 per second) is far below the declared 20: every task
   * still ends once.
   */
  @Test
  void limitsDeclaredTooHighStillFinishEveryTaskOnceAtTheServer() {
    try (Simulator sim =
        Simulator.builder()
            .project("p", Quota.per(4, Duration.ofSeconds(1)), "hi-key-a1", "hi-key-b2")
            .start()) {
      Rotator r =
          Rotator.keys("hi-key-a1", "hi-key-b2")
              .project("p", "hi-key-a1", "hi-key-b2")
              .slots(2)
              .limits(Limits.per(20, Duration.ofSeconds(1)))
              .retries(Retries.builder().maxConsecutiveRateLimits(1000).build())
              .baseUrl(sim.baseUrl());
      List<String> prompts = prompts("too high", 20);
      Table t = r.run(prompts);
      assertEquals(20, t.booleanColumn("success").countTrue());
      for (int i = 0; i < 20; i++)
        assertEquals(
            Simulator.answerFor(prompts.get(i), "", null), t.stringColumn("response").get(i));
      assertEquals(
          20,
          sim.requests().stream().filter(q -> q.status() == 200).count(),
          "a task was answered twice");
    }
  }

  @Test
  void perDay429ParksTheWholeProjectAndARerunTheSameDaySendsNothingOnIt() throws Exception {
    Path cp = dir.resolve("daily.checkpoint.jsonl");
    String spentA = "daily-project-key-0000a1";
    String spentB = "daily-project-key-0000b2";
    String fresh = "daily-other-key-00000c3";
    try (Simulator sim = Simulator.builder().key(spentA, KeyBehavior.dailyLimitReached()).start()) {
      Rotator r =
          Rotator.keys(spentA, spentB, fresh)
              .project("p", spentA, spentB)
              .baseUrl(sim.baseUrl())
              .checkpoint(cp);
      Table t = r.run(prompts("first run", 12));
      assertEquals(12, t.booleanColumn("success").countTrue());
      assertEquals(
          List.of(KeyStatus.PARKED, KeyStatus.PARKED, KeyStatus.ACTIVE),
          r.stats().keys().stream().map(KeyStats::state).toList(),
          "the project's daily quota is spent: both its keys are parked");
      Path parkedFile = ParkedKeys.besides(cp);
      assertTrue(Files.exists(parkedFile));
      String parkedText = Files.readString(parkedFile);
      assertFalse(
          parkedText.contains(spentA) || parkedText.contains(spentB),
          "a whole key in the parked-keys file");

      int before = sim.requests().size();
      Rotator again =
          Rotator.keys(spentA, spentB, fresh)
              .project("p", spentA, spentB)
              .baseUrl(sim.baseUrl())
              .checkpoint(cp);
      again.run(prompts("second run", 6));
      assertEquals(6, sim.requests().size() - before);
      assertTrue(
          sim.requests().subList(before, sim.requests().size()).stream()
              .allMatch(q -> q.key().equals("…00c3")),
          "a parked key was used again the same day");
    }
  }

  @Test
  void declaredDailyLimitStopsTheProjectForTheDay() {
    try (Simulator sim = Simulator.builder().start()) {
      Rotator r =
          Rotator.keys("rpd-key-0001").limits(Limits.rpm(6000).rpd(5)).baseUrl(sim.baseUrl());
      Table t = r.run(prompts("rpd", 8));
      assertEquals(5, sim.requests().size());
      assertEquals(5, t.booleanColumn("success").countTrue());
      assertEquals(3, t.stringColumn("error_type").isEqualTo("no_usable_keys").size());
    }
  }

  @Test
  void replayChecksThePlanOnTheSimulatorInCompressedTime() {
    Rotator r =
        Rotator.keys("rk1", "rk2", "rk3", "rk4")
            .project("p1", "rk1", "rk2")
            .project("p2", "rk3", "rk4")
            .slots(2)
            .limits(Limits.rpm(60).rpd(50));
    PlanReplay replay =
        r.plan(prompts("replay me", 150)).replay(60, dev.gkr.sim.SimulatorReplay::start);
    // Robust in real time: 50 requests per project per day can never fill the compressed window's
    // 60.
    assertEquals(
        0, replay.refused(), "the declared limits were honoured against quotas equal to them");
    assertEquals(100, replay.finishedFirstDay(), "two projects x 50 requests per day");
    assertEquals(2, replay.plan().days());
    // Lower bound only (how close the replay comes from above is measured by scripts/bench, part
    // "replay"): each
    // project's 50 paced starts span 49 of the plan's intervals, so the replay cannot take less
    // than 49/50 of the
    // plan's 50 intervals; a busy machine only makes it longer. 0.97 leaves room for the timer's
    // rounding.
    double estimated = replay.plan().wallTime().orElseThrow().toMillis();
    double measured = replay.replayedWallTime().toMillis();
    assertTrue(
        measured >= 0.97 * estimated,
        "estimate " + estimated + " ms, replay " + measured + " ms: faster than the limits allow");
  }

  @Test
  void midnightPacificIsWhenDailyQuotasReset() {
    assertEquals(
        Instant.parse("2026-11-29T08:00:00Z"),
        ParkedKeys.nextMidnightPacific(Instant.parse("2026-11-28T20:00:00Z")));
    assertEquals(
        Instant.parse("2026-07-02T07:00:00Z"),
        ParkedKeys.nextMidnightPacific(Instant.parse("2026-07-01T07:00:00Z")));
  }

  /**
   * The plan is checked against what happens, not against its own formula: the same settings run on
   * the fake clock against the simulator, and the plan's rate, first-day wall time and requests per
   * day are compared with the starts the engine made; its token estimate with the prompt tokens the
   * server counted. (One project's pacing is the only wait here: the fake clock jumps to the
   * deadline of whichever thread waits first, so waits for different deadlines, another project's
   * or {@code every}, would distort a measured rate. Projects and slots are checked by properties
   * instead.)
   */
  static int firstDayOf(Plan p) {
    return p.requestsPerDay().orElseThrow();
  }

  @Test
  void planMatchesARunOfTheSameSettingsOnTheFakeClock() {
    List<String> tasks = prompts("plan me", 150);
    Rotator r =
        Rotator.keys("k1", "k2").project("p1", "k1", "k2").slots(2).limits(Limits.rpm(10).rpd(100));
    Plan p = r.plan(tasks);
    assertEquals(1, p.projects());
    assertEquals(4, p.slots());
    try (Simulator sim = Simulator.builder().start()) {
      Table t = r.baseUrl(sim.baseUrl()).clock(new FakeClock()).run(tasks);
      List<Long> starts = starts(r);
      int firstDay = t.booleanColumn("success").countTrue();
      assertEquals(firstDay, starts.size(), "every request of the first day succeeded");
      assertEquals(
          Optional.of(firstDay),
          p.requestsPerDay(),
          "the plan's requests per day are what the run finished before parking");
      assertTrue(
          p.days() * (long) firstDay >= tasks.size()
              && (p.days() - 1) * (long) firstDay < tasks.size(),
          p.days() + " days");
      double measuredRpm =
          (starts.size() - 1) * 60e9 / (starts.get(starts.size() - 1) - starts.get(0));
      assertEquals(
          measuredRpm,
          p.requestsPerMinute().orElseThrow(),
          measuredRpm * 0.02,
          "the plan's rate against the run's");
      double measuredWall = (starts.get(starts.size() - 1) - starts.get(0)) / 1e9;
      assertEquals(
          measuredWall,
          p.wallTime().orElseThrow().toMillis() / 1e3,
          measuredWall * 0.02,
          "the plan's first-day wall time");
      Table done = t.where(t.booleanColumn("success").isTrue());
      long counted = (long) done.intColumn("prompt_tokens").sum();
      long estimated = r.plan(done.stringColumn("prompt").asList()).estimatedPromptTokens();
      assertTrue(
          Math.abs(estimated - counted) <= done.rowCount(),
          estimated
              + " tokens estimated for the tasks done, "
              + counted
              + " counted by the server: more than a token of rounding per task apart");
    }
    // Projects multiply the limits; the slots' pace is a bound that only lowers the rate and scales
    // with the slots.
    double oneProject = p.requestsPerMinute().orElseThrow();
    Rotator two =
        Rotator.keys("k1", "k2", "k3", "k4")
            .project("p1", "k1", "k2")
            .project("p2", "k3", "k4")
            .slots(2)
            .limits(Limits.rpm(10).rpd(100));
    Plan twoProjects = two.plan(tasks);
    assertEquals(
        2 * oneProject,
        twoProjects.requestsPerMinute().orElseThrow(),
        1e-9,
        "two projects, twice the rate");
    assertEquals(Optional.of(2 * firstDayOf(p)), twoProjects.requestsPerDay());
    double slow = two.every("12s").plan(tasks).requestsPerMinute().orElseThrow();
    Limits vast = Limits.rpm(1_000_000); // declared, but far above what the slots can start
    double slowUnlimited =
        Rotator.keys("k1", "k2", "k3", "k4")
            .slots(2)
            .every("12s")
            .limits(vast)
            .plan(tasks)
            .requestsPerMinute()
            .orElseThrow();
    double doubleSlots =
        Rotator.keys("k1", "k2", "k3", "k4")
            .slots(4)
            .every("12s")
            .limits(vast)
            .plan(tasks)
            .requestsPerMinute()
            .orElseThrow();
    assertTrue(
        slow <= twoProjects.requestsPerMinute().orElseThrow() && slow <= slowUnlimited,
        slow + " rpm exceeds one of its bounds");
    assertEquals(2 * slowUnlimited, doubleSlots, 1e-9, "twice the slots at the same pace");
    try (Simulator sim = Simulator.builder().start()) {
      List<String> big = List.of("x".repeat(400), "y".repeat(400));
      Rotator byTokens = Rotator.keys("k1").limits(Limits.tokensPerMinute(1_000));
      double rpm = byTokens.plan(big).requestsPerMinute().orElseThrow();
      Table t = byTokens.baseUrl(sim.baseUrl()).run(big);
      double tokensPerTask =
          t.intColumn("prompt_tokens").asList().stream()
              .mapToInt(Integer::intValue)
              .average()
              .orElseThrow();
      assertTrue(
          rpm * tokensPerTask <= 1_000 && rpm * tokensPerTask >= 900,
          rpm
              + " requests/minute of "
              + tokensPerTask
              + " tokens: not just under the declared 1,000 tokens per minute");
    }
  }
}
