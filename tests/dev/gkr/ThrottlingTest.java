package dev.gkr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gkr.internal.call.Classifier;
import dev.gkr.internal.common.Clock;
import dev.gkr.internal.common.Redactor;
import dev.gkr.internal.engine.Timeline;
import dev.gkr.sim.Simulator;
import dev.gkr.sim.Storm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

/**
 * Issue 17: every throttling signal Gemini sends, and calm under storms. Storms are scheduled on
 * the simulator's clock, which is the engine's clock here: compressed real time ({@link
 * ScaledClock}, 60x) where keys race each other, so a two-minute storm takes two seconds; {@link
 * FakeClock} where only one project is involved.
 */
class ThrottlingTest {
  @TempDir Path dir;

  /** Three projects of two keys each; every key belongs to a project. */
  static final List<String> KEYS =
      List.of("thr-key-a1", "thr-key-a2", "thr-key-b1", "thr-key-b2", "thr-key-c1", "thr-key-c2");

  /** Six keys in three projects of two ({@link #KEYS}), 2 slots each: the storm tests' setup. */
  static Rotator threeProjects(Simulator sim, Clock clock) {
    return Rotator.keys(KEYS)
        .project("pa", KEYS.get(0), KEYS.get(1))
        .project("pb", KEYS.get(2), KEYS.get(3))
        .project("pc", KEYS.get(4), KEYS.get(5))
        .slots(2)
        .baseUrl(sim.baseUrl())
        .clock(clock);
  }

  private static Simulator.Builder stormy(Clock clock, Storm storm) {
    return Simulator.builder()
        .clock(clock::nanoTime)
        .storm(storm)
        .project("pa", dev.gkr.sim.Quota.unlimited(), KEYS.get(0), KEYS.get(1))
        .project("pb", dev.gkr.sim.Quota.unlimited(), KEYS.get(2), KEYS.get(3))
        .project("pc", dev.gkr.sim.Quota.unlimited(), KEYS.get(4), KEYS.get(5));
  }

  private static List<String> prompts(String p, int n) {
    return IntStream.range(0, n).mapToObj(i -> p + " " + i).toList();
  }

  private static long answered(Simulator sim, int status) {
    return sim.requests().stream().filter(q -> q.status() == status).count();
  }

  private static void assertNoKeyLost(Rotator r) {
    for (KeyStats k : r.stats().keys()) {
      assertTrue(
          k.state() == KeyStatus.ACTIVE || k.state() == KeyStatus.COOLING,
          k.key() + " is " + k.state());
    }
  }

  @Test
  void twoMinuteOverloadStormEndsWithEveryTaskSucceededAndNoKeyLost_issue17() {
    ScaledClock clock = new ScaledClock(60);
    Storm storm = Storm.of(Storm.Kind.OVERLOADED, Duration.ZERO, Duration.ofMinutes(2));
    long withThrottle;
    try (Simulator sim = stormy(clock, storm).start()) {
      long start = clock.nanoTime();
      Rotator r = threeProjects(sim, clock);
      Table t = r.run(prompts("overload", 60));
      assertEquals(
          60,
          t.booleanColumn("success").countTrue(),
          t.where(t.booleanColumn("success").isFalse()).print());
      assertNoKeyLost(r);
      assertTrue(
          clock.nanoTime() - start >= Duration.ofMinutes(2).toNanos(),
          "the run cannot end before the storm does");
      Slowdown sd = r.stats().slowdown();
      assertTrue(
          sd.episodes() >= 1 && sd.throttledFor().compareTo(Duration.ofSeconds(90)) >= 0,
          sd.toString());
      assertEquals("503 storm", sd.cause());
      assertTrue(r.stats().print().contains("slowed down: throttled"), r.stats().print());
      withThrottle = answered(sim, 503);
    }
    ScaledClock naiveClock = new ScaledClock(60);
    try (Simulator sim = stormy(naiveClock, storm).start()) {
      Rotator naive = threeProjects(sim, naiveClock).runThrottle(false);
      Table t = naive.run(prompts("overload", 60));
      assertEquals(60, t.booleanColumn("success").countTrue());
      long perTask = answered(sim, 503);
      assertTrue(
          withThrottle * 5 < perTask,
          "run-wide throttle sent "
              + withThrottle
              + " requests into the storm, per-task backoff "
              + perTask);
    }
  }

  @Test
  void correlated429StormAcrossProjectsParksNoKey_issue17() {
    Storm storm = Storm.of(Storm.Kind.MINUTE_429, Duration.ZERO, Duration.ofMinutes(2));
    ScaledClock clock = new ScaledClock(60);
    try (Simulator sim = stormy(clock, storm).start()) {
      Rotator r =
          threeProjects(sim, clock).retries(Retries.builder().maxConsecutiveRateLimits(3).build());
      Table t = r.run(prompts("correlated", 40));
      assertEquals(
          40,
          t.booleanColumn("success").countTrue(),
          t.where(t.booleanColumn("success").isFalse()).print());
      assertNoKeyLost(r);
      assertEquals("429 storm", r.stats().slowdown().cause());
    }
    ScaledClock naiveClock = new ScaledClock(60);
    try (Simulator sim = stormy(naiveClock, storm).start()) {
      Rotator naive =
          threeProjects(sim, naiveClock)
              .retries(Retries.builder().maxConsecutiveRateLimits(3).build())
              .runThrottle(false);
      naive.run(prompts("correlated", 40));
      assertTrue(
          naive.stats().keysIn(KeyStatus.PARKED) > 0,
          "without the run-wide throttle the storm should park keys");
    }
  }

  @Test
  void multiViolation429ActsOnTheSpentDay_issue17() {
    FakeClock clock = new FakeClock();
    ConcurrentLinkedQueue<RotatorEvent> events = new ConcurrentLinkedQueue<>();
    try (Simulator sim =
        stormy(clock, Storm.of(Storm.Kind.MULTI_VIOLATION_429, Duration.ZERO, Duration.ofHours(1)))
            .start()) {
      Rotator r = threeProjects(sim, clock).onEvent(events::add);
      Table t = r.run(prompts("multi", 10));
      assertEquals(0, t.booleanColumn("success").countTrue());
      assertEquals(RunState.NO_USABLE_KEYS, r.stats().state());
      assertEquals(
          KEYS.size(),
          r.stats().keysIn(KeyStatus.PARKED),
          "a spent day parks, though minute and token limits are listed too");
      assertTrue(
          events.stream()
              .anyMatch(
                  e ->
                      e instanceof RotatorEvent.KeyParked p
                          && p.reason() == ErrorType.DAILY_LIMIT
                          && p.detail().startsWith("daily quota spent")));
      assertTrue(
          r.stats().timeline().stringColumn("outcome").asList().stream()
              .allMatch("daily_limit"::equals));
    }
  }

  @Test
  void tokenQuota429PausesTheProjectAndLeavesItsRequestPacingAlone_issue17() {
    FakeClock clock = new FakeClock();
    ConcurrentLinkedQueue<RotatorEvent> events = new ConcurrentLinkedQueue<>();
    Limits limits = Limits.rpm(600).tpm(1_000_000);
    try (Simulator sim =
        Simulator.builder()
            .clock(clock::nanoTime)
            .storm(Storm.of(Storm.Kind.TOKEN_429, Duration.ZERO, Duration.ofSeconds(1)))
            .start()) {
      Rotator r =
          Rotator.keys("tok17-key-1", "tok17-key-2")
              .project("p", "tok17-key-1", "tok17-key-2")
              .limits(limits)
              .baseUrl(sim.baseUrl())
              .clock(clock)
              .onEvent(events::add);
      Table t = r.run(prompts("tokens", 12));
      assertEquals(12, t.booleanColumn("success").countTrue());
      List<Timeline.Entry> tl = r.timelineEntries();
      Timeline.Entry refusal =
          tl.stream().filter(e -> e.outcome().equals("token_limited")).findFirst().orElseThrow();
      // Requests started after the 429 was read (earlier ones were in flight already): the refused
      // task's own retry is one of them, so the wait below is always checked.
      List<Timeline.Entry> after =
          tl.stream().filter(e -> e.startSeq() > refusal.endSeq()).toList();
      assertTrue(after.size() >= 1, "the refused task was sent again: " + tl);
      for (Timeline.Entry e : after)
        assertTrue(
            e.startNanos() - refusal.startNanos() >= Duration.ofSeconds(2).toNanos(),
            "the project (both keys) waits the token 429's 2 s delay; "
                + e.key()
                + " started after "
                + (e.startNanos() - refusal.startNanos())
                + " ns");
      assertTrue(
          events.stream().noneMatch(e -> e instanceof RotatorEvent.KeyCooled),
          "a token 429 pauses the project, not one key");
      assertEquals(
          570.0,
          r.stats().pacedRequestsPerMinute(),
          0.01,
          "request pacing untouched by a token quota");
    }
    try (Simulator sim =
        Simulator.builder()
            .clock(clock::nanoTime)
            .storm(Storm.of(Storm.Kind.MINUTE_429, Duration.ZERO, Duration.ofSeconds(1)))
            .start()) {
      Rotator r =
          Rotator.keys("tok17-key-1", "tok17-key-2")
              .project("p", "tok17-key-1", "tok17-key-2")
              .limits(limits)
              .baseUrl(sim.baseUrl())
              .clock(clock);
      r.run(prompts("requests", 12));
      assertTrue(
          r.stats().pacedRequestsPerMinute() < 570.0,
          "a request 429 does slow request pacing: " + r.stats().pacedRequestsPerMinute());
    }
  }

  @Test
  void detailLess429IsNoStrikeAgainstTheKey_issue17() {
    FakeClock clock = new FakeClock();
    ConcurrentLinkedQueue<RotatorEvent> events = new ConcurrentLinkedQueue<>();
    try (Simulator sim =
        Simulator.builder()
            .clock(clock::nanoTime)
            .storm(Storm.of(Storm.Kind.SPEND_429, Duration.ZERO, Duration.ofSeconds(40)))
            .start()) {
      Rotator r =
          Rotator.keys("spend-key-1")
              .retries(Retries.builder().maxConsecutiveRateLimits(2).maxRetries(0).build())
              .baseUrl(sim.baseUrl())
              .clock(clock)
              .onEvent(events::add);
      Table t = r.run(prompts("spend", 5));
      assertEquals(5, t.booleanColumn("success").countTrue(), t.print());
      assertTrue(
          r.stats().timeline().stringColumn("outcome").isEqualTo("throttled").size() >= 3,
          "the spend window refused several requests");
      assertNoKeyLost(r);
      assertTrue(
          events.stream()
              .noneMatch(
                  e -> e instanceof RotatorEvent.KeyParked || e instanceof RotatorEvent.KeyCooled));
    }
  }

  @Test
  void stormLongerThanMaxWaitEndsOverloadedAndARerunResumes_issue17() {
    ScaledClock clock = new ScaledClock(60);
    Path cp = dir.resolve("storm.checkpoint.jsonl");
    try (Simulator sim =
        stormy(clock, Storm.of(Storm.Kind.OVERLOADED, Duration.ZERO, Duration.ofHours(2)))
            .start()) {
      long start = clock.nanoTime();
      Rotator r =
          threeProjects(sim, clock)
              .retries(Retries.builder().maxWait(Duration.ofMinutes(5)).build())
              .checkpoint(cp);
      Table t = r.run(prompts("outlasted", 30));
      assertEquals(RunState.OVERLOADED, r.stats().state());
      assertEquals(30, t.stringColumn("error_type").isEqualTo("overloaded").size());
      assertTrue(
          clock.nanoTime() - start < Duration.ofMinutes(30).toNanos(),
          "the run gave up after maxWait, not at the storm's end");
    }
    try (Simulator calm = Simulator.builder().start()) {
      Table t = threeProjects(calm, new FakeClock()).checkpoint(cp).run(prompts("outlasted", 30));
      assertEquals(30, t.booleanColumn("success").countTrue());
    }
  }

  @Test
  void overloadRetriesAreATimeBudgetNotACount_issue17() {
    FakeClock clock = new FakeClock();
    try (Simulator sim = Simulator.builder().start()) {
      long start = clock.nanoTime();
      List<String> tasks = new java.util.ArrayList<>(prompts("calm", 5));
      tasks.add("always overloaded [[sim:503]]");
      Rotator r =
          Rotator.keys("budget-key-1")
              .retries(Retries.builder().maxWait("2m").build())
              .baseUrl(sim.baseUrl())
              .clock(clock);
      Table t = r.run(tasks);
      assertEquals(5, t.booleanColumn("success").countTrue());
      assertEquals("overloaded", t.stringColumn("error_type").get(5));
      assertTrue(
          t.intColumn("attempts").get(5) > 6,
          "more than the old count of 5 retries: " + t.intColumn("attempts").get(5));
      long waited = clock.nanoTime() - start;
      assertTrue(
          waited >= Duration.ofMinutes(2).toNanos() && waited < Duration.ofMinutes(3).toNanos(),
          "waited " + Duration.ofNanos(waited));
      assertEquals(RunState.COMPLETED, r.stats().state());
    }
  }

  @Test
  void missingModelStopsTheRunOnceWithOneMessage_issue17() {
    ConcurrentLinkedQueue<RotatorEvent> events = new ConcurrentLinkedQueue<>();
    try (Simulator sim = Simulator.builder().missingModel("gemini-9-nonexistent").start()) {
      Rotator r =
          Rotator.keys(KEYS)
              .slots(2)
              .model("gemini-9-nonexistent")
              .baseUrl(sim.baseUrl())
              .onEvent(events::add);
      Table t = r.run(prompts("no model", 200));
      assertEquals(RunState.MODEL_NOT_FOUND, r.stats().state());
      assertEquals(200, t.stringColumn("error_type").isEqualTo("model_not_found").size());
      assertTrue(
          sim.requests().size() <= KEYS.size() * 2,
          "only the requests already in flight were sent: " + sim.requests().size());
      List<String> notices =
          events.stream()
              .filter(e -> e instanceof RotatorEvent.Notice)
              .map(e -> ((RotatorEvent.Notice) e).message())
              .toList();
      assertEquals(1, notices.size(), notices.toString());
      assertTrue(notices.get(0).contains("gemini-9-nonexistent was not found"), notices.get(0));
      assertTrue(
          events.stream().noneMatch(e -> e instanceof RotatorEvent.KeyRetired),
          "a missing model is not the keys' fault");
    }
  }

  @Test
  void monitorSaysWhyTheRunSlowed_issue17() {
    Instant since = Instant.parse("2026-11-29T12:03:00Z");
    Slowdown sd =
        new Slowdown(
            true,
            "503 storm",
            Optional.of(since),
            Duration.ofSeconds(40),
            1,
            Duration.ofMinutes(2));
    String hhmm =
        java.time.format.DateTimeFormatter.ofPattern("HH:mm")
            .withZone(java.time.ZoneId.systemDefault())
            .format(since);
    assertEquals("throttled: 503 storm since " + hhmm + ", waiting 40s", sd.statusText());
    RunStats s =
        RunStats.builder()
            .total(10)
            .succeeded(2)
            .queued(8)
            .slots(4)
            .requests(12)
            .elapsed(Duration.ofMinutes(3))
            .requestsPerSecond(0.1)
            .state(RunState.RUNNING)
            .slowdown(sd)
            .build();
    assertTrue(
        s.statusLine().endsWith(" | throttled: 503 storm since " + hhmm + ", waiting 40s"),
        s.statusLine());
  }

  @Test
  void profileSchedulesStormsAndNamesABadOne_issue17() throws Exception {
    Path good = dir.resolve("storms.json");
    Files.writeString(
        good, "{\"storms\": [{\"answer\": \"503\", \"from\": \"0\", \"for\": \"1h\"}]}");
    try (Simulator sim = Simulator.fromProfile(good).start()) {
      Outcome o = Rotator.keys("profile-storm-key").baseUrl(sim.baseUrl()).generate("hello");
      assertEquals(ErrorType.OVERLOADED, ((Outcome.Failure) o).type());
    }
    Simulator.fromProfile(Path.of("samples/simulator-storms.json"))
        .start()
        .close(); // the documented sample loads
    Path bad = dir.resolve("bad.json");
    Files.writeString(bad, "{\"storms\": [{\"answer\": \"418\", \"for\": \"1m\"}]}");
    IllegalArgumentException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class, () -> Simulator.fromProfile(bad));
    assertTrue(
        e.getMessage().startsWith(bad + ": storms[0].answer must be one of 503, 429"),
        e.getMessage());
  }

  private static String quota429(String... quotaIds) {
    StringBuilder v = new StringBuilder();
    for (String id : quotaIds)
      v.append(v.length() == 0 ? "" : ",")
          .append("{\"quotaMetric\":\"m\",\"quotaId\":\"")
          .append(id)
          .append("\"}");
    return "You exceeded your current quota\nDetails: {\"@type\":\"type.googleapis.com/google.rpc.QuotaFailure\",\"violations\":["
        + v
        + "]}\n"
        + "{\"@type\":\"type.googleapis.com/google.rpc.RetryInfo\",\"retryDelay\":\"45.8s\"}";
  }

  @Test
  void classifierActsOnTheStrongestViolation_issue17() {
    Classifier c = new Classifier(new Redactor(List.of()));
    String minute = "GenerateRequestsPerMinutePerProjectPerModel-FreeTier";
    String day = "GenerateRequestsPerDayPerProjectPerModel-FreeTier";
    String tokens = "GenerateContentInputTokensPerModelPerMinute-FreeTier";
    Outcome.Failure all =
        c.ofApiError(429, "RESOURCE_EXHAUSTED", quota429(minute, tokens, day), Duration.ZERO);
    assertEquals(
        ErrorType.DAILY_LIMIT,
        all.type(),
        "a spent day wins over minute and token limits listed first");
    assertTrue(
        all.message().contains(minute)
            && all.message().contains(day)
            && all.message().contains(tokens),
        all.message());
    assertEquals(
        ErrorType.TOKEN_LIMITED,
        c.ofApiError(429, "RESOURCE_EXHAUSTED", quota429(minute, tokens), Duration.ZERO).type());
    assertEquals(
        ErrorType.TOKEN_LIMITED,
        c.ofApiError(429, "RESOURCE_EXHAUSTED", quota429(tokens), Duration.ZERO).type());
    assertEquals(
        ErrorType.RATE_LIMITED,
        c.ofApiError(429, "RESOURCE_EXHAUSTED", quota429(minute), Duration.ZERO).type());
    assertEquals(
        Optional.of(Duration.ofMillis(45_800)),
        c.ofApiError(429, "RESOURCE_EXHAUSTED", quota429(tokens), Duration.ZERO).retryDelay());
    assertEquals(
        ErrorType.THROTTLED,
        c.ofApiError(
                429,
                "RESOURCE_EXHAUSTED",
                "Resource has been exhausted (e.g. check quota).",
                Duration.ZERO)
            .type());
  }

  @Test
  void classifierTellsARefusedModelFromARefusedKey_issue17() {
    Classifier c = new Classifier(new Redactor(List.of()));
    assertEquals(
        ErrorType.MODEL_DENIED,
        c.ofApiError(
                403,
                "PERMISSION_DENIED",
                "You do not have permission to access the model gemini-3-pro-preview.",
                Duration.ZERO)
            .type());
    assertEquals(
        ErrorType.PERMISSION_DENIED,
        c.ofApiError(
                403,
                "PERMISSION_DENIED",
                "Generative Language API has not been used in project 1 before or it is disabled.",
                Duration.ZERO)
            .type());
    assertEquals(
        ErrorType.MODEL_NOT_FOUND,
        c.ofApiError(
                404,
                "NOT_FOUND",
                "models/gemini-9 is not found for API version v1beta, or is not supported for generateContent.",
                Duration.ZERO)
            .type());
  }
}
