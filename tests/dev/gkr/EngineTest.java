package dev.gkr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gkr.internal.engine.SlotPool;
import dev.gkr.internal.engine.Timeline;
import dev.gkr.sim.KeyBehavior;
import dev.gkr.sim.SimRequest;
import dev.gkr.sim.Simulator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Row;
import tech.tablesaw.api.Table;

/**
 * The slot pool against the simulator: pacing, key errors, task errors, transient errors, endings.
 */
class EngineTest {

  static List<String> prompts(String prefix, int n) {
    return IntStream.rangeClosed(1, n).mapToObj(i -> prefix + " question " + i).toList();
  }

  static long requestsWithKey(Simulator sim, String key) {
    String tail = "…" + key.substring(Math.max(0, key.length() - 4));
    return sim.requests().stream().filter(r -> r.key().equals(tail)).count();
  }

  @Test
  void everyTaskGetsItsOwnAnswerInInputOrder() {
    try (Simulator sim =
        Simulator.builder().latency(Duration.ofMillis(5), Duration.ofMillis(4)).start()) {
      List<String> tasks = prompts("order", 60);
      Table t =
          Rotator.keys("key-a", "key-b", "key-c")
              .slots(2)
              .baseUrl(sim.baseUrl())
              .systemInstruction("You are terse.")
              .run(tasks);
      assertEquals(60, t.rowCount());
      for (int i = 0; i < 60; i++) {
        assertEquals(Integer.toString(i + 1), t.stringColumn("id").get(i));
        assertEquals(tasks.get(i), t.stringColumn("prompt").get(i));
        assertEquals(
            Simulator.answerFor(tasks.get(i), "You are terse.", null),
            t.stringColumn("response").get(i));
        assertTrue(t.booleanColumn("success").get(i));
      }
      assertEquals(60, sim.requests().size(), "a task was sent twice or not at all");
      assertEquals(
          List.of(
              "id",
              "prompt",
              "success",
              "response",
              "error_type",
              "error",
              "attempts",
              "key",
              "slot",
              "latency_ms",
              "finish_reason",
              "prompt_tokens",
              "output_tokens",
              "thoughts_tokens",
              "cached_tokens",
              "total_tokens",
              "model",
              "model_version",
              "cost_usd",
              "service_tier"),
          t.columnNames());
    }
  }

  /**
   * On the fake clock, so the pacing rules are checked exactly and a busy machine cannot bend them:
   * time moves only when a slot waits, and each rule is "not before". Arrival times at the server
   * would measure the machine's scheduling instead (they were checked here once, with a 10 %
   * margin, and flaked under load); what the server proves is that the client's timeline is the
   * whole story: every request it received is one the timeline records, key for key, so no request
   * (an SDK retry, say) escaped the pacing.
   */
  @Test
  void noSlotStartsTwoRequestsCloserThanEvery() {
    Duration every = Duration.ofMillis(120);
    try (Simulator sim =
        Simulator.builder().latency(Duration.ofMillis(5), Duration.ofMillis(3)).start()) {
      Rotator r =
          Rotator.keys("pace-1", "pace-2")
              .slots(3)
              .every(every)
              .baseUrl(sim.baseUrl())
              .clock(new FakeClock());
      Table t = r.run(prompts("pace", 30));
      assertEquals(30, t.booleanColumn("success").countTrue());
      Map<Integer, List<Timeline.Entry>> bySlot = new HashMap<>();
      for (Timeline.Entry e : r.timelineEntries())
        bySlot.computeIfAbsent(e.slot(), k -> new ArrayList<>()).add(e);
      assertEquals(6, bySlot.size());
      for (List<Timeline.Entry> starts : bySlot.values()) {
        starts.sort(java.util.Comparator.comparingLong(Timeline.Entry::startSeq));
        for (int i = 1; i < starts.size(); i++) {
          assertTrue(
              starts.get(i).startNanos() - starts.get(i - 1).startNanos() >= every.toNanos(),
              "slot started too soon: " + starts);
        }
        // A key's three slots are staggered over one interval: the j-th (0, 1, 2) starts no sooner
        // than j/3 of it.
        Timeline.Entry first = starts.get(0);
        int j = (first.slot() - 1) % 3;
        assertTrue(
            first.startNanos() >= every.toNanos() * j / 3,
            "slot " + first.slot() + " was not staggered: " + first);
      }
      for (String key : List.of("pace-1", "pace-2")) {
        String tail = "…" + key.substring(key.length() - 4);
        String display = "key-" + key.substring(key.length() - 1) + "…";
        long atServer = sim.requests().stream().filter(q -> q.key().equals(tail)).count();
        long inTimeline =
            r.timelineEntries().stream().filter(e -> e.key().startsWith(display)).count();
        assertEquals(
            inTimeline, atServer, "requests of " + key + " the client's timeline does not show");
      }
      assertEquals(sim.requests().size(), r.timelineEntries().size());
    }
  }

  @Test
  void rateLimitedKeyCoolsDownForServerDelayAndTaskUsesNoRetry() {
    FakeClock clock = new FakeClock();
    try (Simulator sim =
        Simulator.builder()
            .key("limited", KeyBehavior.rateLimitedFirst(1, Duration.ofSeconds(7)))
            .start()) {
      List<RotatorEvent> events = new CopyOnWriteArrayList<>();
      Rotator r =
          Rotator.keys("limited", "healthy")
              .baseUrl(sim.baseUrl())
              .retries(Retries.builder().maxRetries(0).build())
              .clock(clock)
              .every("1s")
              .onEvent(events::add);
      Table t = r.run(prompts("cool", 200));
      assertEquals(200, t.booleanColumn("success").countTrue(), t.print());
      RotatorEvent.KeyCooled cooled =
          events.stream()
              .filter(e -> e instanceof RotatorEvent.KeyCooled)
              .map(e -> (RotatorEvent.KeyCooled) e)
              .findFirst()
              .orElseThrow();
      assertEquals("key-1…", cooled.key());
      assertEquals(Duration.ofSeconds(7), cooled.delay());
      Table limited =
          r.stats().timeline().where(r.stats().timeline().stringColumn("key").isEqualTo("key-1…"));
      assertEquals("rate_limited", limited.stringColumn("outcome").get(0));
      double after =
          limited.doubleColumn("start_s").get(1) - limited.doubleColumn("start_s").get(0);
      assertTrue(
          after >= 7.0, "key reused " + after + " s after its 429, before the 7 s RetryInfo delay");
      // The task that met the 429 moved to the other key and still succeeded with maxRetries(0).
      String movedId = limited.stringColumn("task_id").get(0);
      Row moved = t.where(t.stringColumn("id").isEqualTo(movedId)).row(0);
      assertTrue(moved.getBoolean("success"));
      assertEquals(2, moved.getInt("attempts"));
      assertEquals("key-2…", moved.getString("key"));
    }
  }

  @Test
  void suspendedAndInvalidKeysAreRetiredAfterAtMostOneRequestPerSlot() {
    try (Simulator sim =
        Simulator.builder()
            .latency(Duration.ofMillis(20), Duration.ofMillis(5))
            .key("bad-key-1", KeyBehavior.invalid())
            .key("sus-key-2", KeyBehavior.suspended())
            .key("late-key-3", KeyBehavior.suspendedAfter(4))
            .start()) {
      List<RotatorEvent> events = new CopyOnWriteArrayList<>();
      Rotator r =
          Rotator.keys("bad-key-1", "sus-key-2", "late-key-3", "good-key-4", "good-key-5")
              .slots(3)
              .baseUrl(sim.baseUrl())
              .retries(Retries.builder().maxRetries(0).build())
              .onEvent(events::add);
      Table t = r.run(prompts("retire", 60));
      assertEquals(
          60, t.booleanColumn("success").countTrue(), "key errors must not use up task retries");
      assertTrue(requestsWithKey(sim, "bad-key-1") <= 3);
      assertTrue(requestsWithKey(sim, "sus-key-2") <= 3);
      long lateRefused =
          sim.requests().stream().filter(q -> q.key().equals("…ey-3") && q.status() == 403).count();
      assertTrue(
          lateRefused >= 1 && lateRefused <= 3,
          "suspended mid-run key kept being used: " + lateRefused);
      Set<String> retired =
          events.stream()
              .filter(e -> e instanceof RotatorEvent.KeyRetired)
              .map(e -> ((RotatorEvent.KeyRetired) e).key())
              .collect(Collectors.toSet());
      assertEquals(Set.of("key-1…", "key-2…", "key-3…"), retired);
      assertEquals(3, r.stats().keysIn(KeyStatus.RETIRED));
    }
  }

  @Test
  void dailyLimitParksTheKeyForTheRun() {
    try (Simulator sim =
        Simulator.builder().key("daily-k1", KeyBehavior.dailyLimitReached()).start()) {
      Rotator r =
          Rotator.keys("daily-k1", "fresh-k2")
              .slots(2)
              .baseUrl(sim.baseUrl())
              .retries(Retries.builder().maxRetries(0).build());
      Table t = r.run(prompts("daily", 20));
      assertEquals(20, t.booleanColumn("success").countTrue());
      assertTrue(requestsWithKey(sim, "daily-k1") <= 2);
      assertEquals(KeyStatus.PARKED, r.stats().keys().get(0).state());
    }
  }

  @Test
  void taskErrorsUseRetriesEachOnAnotherKey() {
    try (Simulator sim = Simulator.builder().start()) {
      Table t =
          Rotator.keys("ret-key-1", "ret-key-2", "ret-key-3", "ret-key-4")
              .baseUrl(sim.baseUrl())
              .retries(Retries.builder().maxRetries(2).build())
              .run(
                  List.of(
                      "always blocked [[sim:safety]]", "blocked once [[sim:safetyx1]]", "fine"));
      Row always = t.row(0);
      assertFalse(always.getBoolean("success"));
      assertEquals("prompt_blocked", always.getString("error_type"));
      assertEquals(3, always.getInt("attempts"));
      Set<String> keys =
          sim.requests().stream()
              .filter(q -> q.prompt().startsWith("always"))
              .map(SimRequest::key)
              .collect(Collectors.toSet());
      assertEquals(3, keys.size(), "retries should go to different keys: " + keys);
      Row once = t.row(1);
      assertTrue(once.getBoolean("success"));
      assertEquals(2, once.getInt("attempts"));
      List<String> onceKeys =
          sim.requests().stream()
              .filter(q -> q.prompt().startsWith("blocked once"))
              .map(SimRequest::key)
              .toList();
      assertEquals(2, onceKeys.size());
      assertTrue(!onceKeys.get(0).equals(onceKeys.get(1)), "retry went to the same key");
    }
  }

  @Test
  void transientErrorsRetryWithBackoffWithinABudgetAndSpareTheKey() {
    FakeClock clock = new FakeClock();
    try (Simulator sim = Simulator.builder().start()) {
      Rotator r =
          Rotator.keys("tr-key-1")
              .baseUrl(sim.baseUrl())
              .retries(Retries.builder().maxRetries(0).transientRetries(3).build())
              .clock(clock);
      long before = clock.nanoTime();
      Table t = r.run(List.of("flaky [[sim:503x2]]", "dead [[sim:500]]"));
      assertTrue(t.row(0).getBoolean("success"));
      assertEquals(3, t.row(0).getInt("attempts"));
      assertEquals("server_error", t.row(1).getString("error_type"));
      assertEquals(4, t.row(1).getInt("attempts"), "transient budget is 3 retries");
      assertTrue(
          clock.nanoTime() - before >= Duration.ofMillis(800 + 1600 + 3200).toNanos(),
          "no backoff between transient retries");
      assertEquals(KeyStatus.ACTIVE, r.stats().keys().get(0).state());
    }
  }

  @Test
  void runEndsAtOnceWhenNoUsableKeyIsLeft() {
    try (Simulator sim =
        Simulator.builder()
            .key("dead-1", KeyBehavior.invalid())
            .key("dead-2", KeyBehavior.suspended())
            .start()) {
      Rotator r = Rotator.keys("dead-1", "dead-2").slots(2).baseUrl(sim.baseUrl());
      Table t = r.run(prompts("doomed", 25));
      assertEquals(25, t.rowCount());
      assertEquals(25, t.stringColumn("error_type").isEqualTo("no_usable_keys").size());
      assertTrue(sim.requests().size() <= 4, "dead keys kept being used: " + sim.requests().size());
      assertEquals(RunState.NO_USABLE_KEYS, r.stats().state());
    }
  }

  @Test
  void interruptStopsGracefullyAndLeavesNoThreadBehind() throws Exception {
    try (Simulator sim =
        Simulator.builder().latency(Duration.ofMillis(100), Duration.ZERO).start()) {
      CountDownLatch someDone = new CountDownLatch(8);
      Rotator r =
          Rotator.keys("int-key-1", "int-key-2")
              .slots(4)
              .baseUrl(sim.baseUrl())
              .onEvent(
                  e -> {
                    if (e instanceof RotatorEvent.TaskDone) someDone.countDown();
                  });
      AtomicReference<Table> result = new AtomicReference<>();
      AtomicReference<Boolean> flag = new AtomicReference<>();
      Thread runner =
          Thread.ofPlatform()
              .start(
                  () -> {
                    result.set(r.run(prompts("interrupt", 2_000)));
                    flag.set(Thread.currentThread().isInterrupted());
                  });
      assertTrue(someDone.await(30, TimeUnit.SECONDS));
      runner.interrupt();
      runner.join(TimeUnit.SECONDS.toMillis(30));
      assertFalse(runner.isAlive(), "run did not return after an interrupt");
      assertEquals(0, SlotPool.LIVE_SLOTS.get(), "slot threads outlived run");
      Table t = result.get();
      assertEquals(2_000, t.rowCount());
      int ok = t.booleanColumn("success").countTrue();
      int cancelled = t.stringColumn("error_type").isEqualTo("cancelled").size();
      assertTrue(ok >= 8 && cancelled > 1_000, "ok " + ok + ", cancelled " + cancelled);
      assertEquals(2_000, ok + cancelled);
      assertTrue(flag.get(), "the interrupt flag must be set again for the caller");
      assertEquals(RunState.STOPPED, r.stats().state());
    }
  }

  @Test
  void badTasksAreRejectedNamingTheRow() {
    Rotator r = Rotator.keys("k");
    IllegalArgumentException dup =
        assertThrows(
            IllegalArgumentException.class,
            () -> r.run(List.of(Task.of("a", "x"), Task.of("b", "y"), Task.of("a", "z"))));
    assertEquals("task 3: duplicate id 'a' (first used by task 1)", dup.getMessage());
    IllegalArgumentException empty =
        assertThrows(IllegalArgumentException.class, () -> r.run(List.of("ok", "  ")));
    assertEquals("task 2: prompt is empty", empty.getMessage());
    IllegalArgumentException noPrompt =
        assertThrows(IllegalArgumentException.class, () -> r.run(List.of(Map.of("id", "x"))));
    assertEquals("task 1: has no 'prompt' field", noPrompt.getMessage());
    assertEquals(
        "slots must be >= 1, was 0",
        assertThrows(IllegalArgumentException.class, () -> r.slots(0)).getMessage());
  }

  @Test
  void mapsAndTablesCarryMetadataColumnsWithTheirTypes() {
    try (Simulator sim = Simulator.builder().start()) {
      Table t =
          Rotator.keys("meta-key")
              .baseUrl(sim.baseUrl())
              .run(
                  List.of(
                      Map.of("id", "q1", "prompt", "first", "score", 3, "lang", "en"),
                      Map.of("prompt", "second", "score", 5, "lang", "fr")));
      assertEquals(List.of("q1", "2"), t.stringColumn("id").asList());
      assertEquals(List.of(3L, 5L), t.longColumn("score").asList());
      assertEquals(List.of("en", "fr"), t.stringColumn("lang").asList());
      Table again =
          Rotator.keys("meta-key")
              .baseUrl(sim.baseUrl())
              .run(t.selectColumns("id", "prompt", "score"));
      assertEquals(List.of(3L, 5L), again.longColumn("score").asList());
      assertEquals(List.of("q1", "2"), again.stringColumn("id").asList());
    }
  }

  @Test
  void twoThousandTasksOverTwentyKeysWithMixedFailuresAreEachAccountedForOnce() {
    Simulator.Builder b =
        Simulator.builder()
            .latency(Duration.ofMillis(3), Duration.ofMillis(2))
            .faultRate(dev.gkr.sim.Fault.UNAVAILABLE, 0.03)
            .faultRate(dev.gkr.sim.Fault.INTERNAL, 0.01)
            .key("mix-key-00", KeyBehavior.invalid())
            .key("mix-key-01", KeyBehavior.suspended())
            .key("mix-key-02", KeyBehavior.suspendedAfter(15))
            .key("mix-key-03", KeyBehavior.dailyLimitReached())
            .key("mix-key-04", KeyBehavior.rateLimitedFirst(3, Duration.ofMillis(200)))
            .project(
                "shared",
                dev.gkr.sim.Quota.per(25, Duration.ofMillis(500)),
                "mix-key-05",
                "mix-key-06",
                "mix-key-07");
    List<String> keys =
        IntStream.range(0, 20).mapToObj(i -> String.format("mix-key-%02d", i)).toList();
    List<Object> tasks = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      String p =
          "mixed task "
              + i
              + (i % 97 == 0 ? " [[sim:safety]]" : i % 89 == 0 ? " [[sim:emptyx1]]" : "");
      tasks.add(Task.of("t" + i, p));
    }
    try (Simulator sim = b.start()) {
      Table t =
          Rotator.keys(keys)
              .slots(3)
              .baseUrl(sim.baseUrl())
              .retries(Retries.builder().maxRetries(2).transientRetries(8).build())
              .run(tasks);
      assertEquals(2_000, t.rowCount());
      assertEquals(2_000, new HashSet<>(t.stringColumn("id").asList()).size());
      for (Row row : t) {
        String prompt = row.getString("prompt");
        if (prompt.contains("[[sim:safety]]")) {
          assertEquals("prompt_blocked", row.getString("error_type"), prompt);
        } else {
          assertTrue(
              row.getBoolean("success"), row.getString("id") + ": " + row.getString("error"));
          assertEquals(Simulator.answerFor(prompt, "", null), row.getString("response"));
        }
      }
      Map<String, Long> okAnswersPerPrompt =
          sim.requests().stream()
              .filter(q -> q.status() == 200 && q.outcome().equals("ok"))
              .collect(Collectors.groupingBy(SimRequest::prompt, Collectors.counting()));
      assertTrue(
          okAnswersPerPrompt.values().stream().allMatch(n -> n == 1), "a task was answered twice");
      assertEquals(2_000 - 21, okAnswersPerPrompt.size());
    }
  }
}
