package dev.gkr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gkr.sim.KeyBehavior;
import dev.gkr.sim.Quota;
import dev.gkr.sim.SimRequest;
import dev.gkr.sim.Simulator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

/**
 * Embeddings in bulk (issue 29) through the real SDK over HTTP on the simulator: packed calls,
 * vectors of the asked size, pacing counted per text, resume, a too-long text failing alone.
 */
class EmbedTest {
  @TempDir Path dir;

  static List<String> texts(String p, int n) {
    return IntStream.range(0, n).mapToObj(i -> p + " " + i).toList();
  }

  static double length(float[] v) {
    double s = 0;
    for (float x : v) s += (double) x * x;
    return Math.sqrt(s);
  }

  @Test
  void embedsEveryTextInPacksOfAtMostAHundredIssue29() {
    try (Simulator sim = Simulator.builder().start()) {
      Table t =
          Rotator.keys("embed-key-a1")
              .baseUrl(sim.baseUrl())
              .embed(texts("chunk", 150), Embedding.DEFAULT);
      assertEquals(150, t.booleanColumn("success").countTrue());
      Map<String, float[]> v = Embedding.vectors(t);
      assertEquals(150, v.size());
      assertEquals(3072, v.get("1").length);
      assertEquals(1.0, length(v.get("1")), 1e-4);
      // the same text gives the same vector, another text another one
      Table again =
          Rotator.keys("embed-key-a1")
              .baseUrl(sim.baseUrl())
              .embed(List.of("chunk 0", "chunk 1"), Embedding.DEFAULT);
      assertArrayEquals(v.get("1"), Embedding.vectors(again).get("1"));
      assertTrue(v.get("1")[0] != v.get("2")[0]);
      // 150 texts: two calls of at most 100 texts (every text is logged at its call's arrival)
      Map<Long, Long> calls =
          sim.requests().stream()
              .filter(r -> r.prompt().startsWith("chunk") && r.status() == 200)
              .collect(Collectors.groupingBy(SimRequest::nanos, Collectors.counting()));
      assertTrue(calls.values().stream().allMatch(n -> n <= 100), "a pack over 100: " + calls);
      assertEquals(152, calls.values().stream().mapToLong(n -> n).sum());
      assertEquals(3, calls.size(), "150 texts in two calls, then 2 in one: " + calls.values());
      assertTrue(t.doubleColumn("cost_usd").getDouble(0) > 0, "a text is billed");
    }
  }

  @Test
  void rotatorStatsDescribeTheEmbedRunIssue29() {
    try (Simulator sim = Simulator.builder().start()) {
      Rotator r = Rotator.keys("embed-key-s1", "embed-key-s2").baseUrl(sim.baseUrl());
      Table t = r.embed(texts("counted", 150), Embedding.DEFAULT.dimensions(8));
      RunStats s = r.stats();
      assertEquals(RunState.COMPLETED, s.state());
      assertEquals(150, s.total());
      assertEquals(150, s.succeeded());
      assertEquals(0, s.failed());
      assertEquals(2, s.requests(), "150 texts in two calls");
      assertEquals(t.doubleColumn("cost_usd").sum(), s.costUsd(), 1e-12);
      assertEquals(2, s.keys().size());
      assertEquals(s.costUsd(), s.keys().stream().mapToDouble(KeyStats::costUsd).sum(), 1e-12);
      assertTrue(s.print().contains("150 texts, 150 succeeded"), s.print());
      assertTrue(s.print().contains("2 requests"), "a request is a call: " + s.print());
    }
  }

  @Test
  void shortenedVectorsAreNormalisedToLengthOneIssue29() {
    try (Simulator sim = Simulator.builder().start()) {
      Table t =
          Rotator.keys("embed-key-a1")
              .baseUrl(sim.baseUrl())
              .embed(texts("short", 3), Embedding.DEFAULT.dimensions(768));
      float[] v = Embedding.vectors(t).get("1");
      assertEquals(768, v.length);
      assertEquals(1.0, length(v), 1e-4);
    }
  }

  /**
   * The project's quota counts each text: 20 texts per 400 ms window at the simulator. gkr's packs
   * stay within it, so no call is refused, and no sliding window at the simulator's log (one entry
   * per text, at its call's arrival) holds more than 20.
   */
  @Test
  void pacingCountsEveryTextAgainstTheRequestLimitIssue29() {
    Duration window = Duration.ofMillis(400);
    try (Simulator sim =
        Simulator.builder().project("p", Quota.per(20, window), "embed-key-p1").start()) {
      Table t =
          Rotator.keys("embed-key-p1")
              .limits(Limits.per(20, window))
              .slots(4)
              .baseUrl(sim.baseUrl())
              .embed(texts("paced", 100), Embedding.DEFAULT.dimensions(8));
      assertEquals(100, t.booleanColumn("success").countTrue());
      List<SimRequest> log = sim.requests();
      assertEquals(0, log.stream().filter(r -> r.status() == 429).count(), "refused by quota");
      List<Long> arrivals = log.stream().map(SimRequest::nanos).sorted().toList();
      assertEquals(100, arrivals.size());
      for (int i = 0; i + 20 < arrivals.size(); i++)
        assertTrue(
            arrivals.get(i + 20) - arrivals.get(i) >= window.toNanos(),
            "21 texts arrived within one window, from text " + i);
    }
  }

  @Test
  void anOverLongTextFailsAloneAndItsPackGoesAgainIssue29() {
    String longText = "x".repeat(4 * 2100); // about 2,100 tokens: over the 2,048 limit
    List<String> texts = new java.util.ArrayList<>(texts("ok", 5));
    texts.add(2, longText);
    try (Simulator sim = Simulator.builder().start()) {
      Table t =
          Rotator.keys("embed-key-a1")
              .baseUrl(sim.baseUrl())
              .embed(texts, Embedding.DEFAULT.dimensions(8));
      assertEquals(5, t.booleanColumn("success").countTrue());
      assertEquals("input_too_long", t.stringColumn("error_type").get(2));
      assertTrue(t.stringColumn("error").get(2).contains("2048"), t.stringColumn("error").get(2));
      assertEquals(5, Embedding.vectors(t).size());
    }
  }

  @Test
  void aResumedRunSendsOnlyTheMissingTextsIssue29() {
    Path cp = dir.resolve("embed.checkpoint.jsonl");
    try (Simulator sim = Simulator.builder().start()) {
      Rotator first = Rotator.keys("embed-key-a1").baseUrl(sim.baseUrl()).checkpoint(cp);
      first.embed(texts("resume", 30), Embedding.DEFAULT.dimensions(8));
      int before = sim.requests().size();
      Rotator second = Rotator.keys("embed-key-a1").baseUrl(sim.baseUrl()).checkpoint(cp);
      Table t = second.embed(texts("resume", 40), Embedding.DEFAULT.dimensions(8));
      assertEquals(40, t.booleanColumn("success").countTrue());
      List<String> sent =
          sim.requests().subList(before, sim.requests().size()).stream()
              .map(SimRequest::prompt)
              .toList();
      assertEquals(texts("resume", 40).subList(30, 40), sent.stream().sorted().toList());
      assertEquals(40, Embedding.vectors(t).size());
    }
  }

  /**
   * A dead key is retired and a rate-limited one cooled; their packs go again on the good key, and
   * a text whose call met a 503 twice is retried with its pack, not failed.
   */
  @Test
  void aKeyWhoseDayIsSpentStaysParkedForTheNextRunIssue29() {
    Path cp = dir.resolve("parked.checkpoint.jsonl");
    try (Simulator sim =
        Simulator.builder().key("embed-key-day1", KeyBehavior.dailyLimitReached()).start()) {
      Rotator first = Rotator.keys("embed-key-day1", "embed-key-ok02").baseUrl(sim.baseUrl());
      Table t = first.checkpoint(cp).embed(texts("day one", 4), Embedding.DEFAULT.dimensions(8));
      assertEquals(4, t.booleanColumn("success").countTrue());
      long refusedFirst = sim.requests().stream().filter(r -> r.status() == 429).count();
      assertTrue(refusedFirst >= 1, "the spent key was tried once");
      List<RotatorEvent> events = new java.util.concurrent.CopyOnWriteArrayList<>();
      Table again =
          Rotator.keys("embed-key-day1", "embed-key-ok02")
              .baseUrl(sim.baseUrl())
              .checkpoint(cp)
              .onEvent(events::add)
              .embed(texts("day two", 4), Embedding.DEFAULT.dimensions(8));
      assertEquals(4, again.booleanColumn("success").countTrue());
      assertEquals(
          refusedFirst,
          sim.requests().stream().filter(r -> r.status() == 429).count(),
          "the rerun sent nothing with the parked key");
      assertTrue(
          events.stream()
              .anyMatch(
                  e ->
                      e instanceof RotatorEvent.KeyParked p
                          && p.detail().contains("earlier today")),
          "" + events);
    }
  }

  @Test
  void keyErrorsAndTransientFailuresRetryThePackIssue29() {
    try (Simulator sim =
        Simulator.builder()
            .key("embed-key-bad1", KeyBehavior.invalid())
            .key("embed-key-slow", KeyBehavior.rateLimitedFirst(1, Duration.ofMillis(50)))
            .start()) {
      List<RotatorEvent> events = new java.util.concurrent.CopyOnWriteArrayList<>();
      List<String> texts = new java.util.ArrayList<>(texts("keys", 6));
      texts.add("flaky [[sim:503x2]]");
      Table t =
          Rotator.keys("embed-key-bad1", "embed-key-slow", "embed-key-good")
              .baseUrl(sim.baseUrl())
              .onEvent(events::add)
              .embed(texts, Embedding.DEFAULT.dimensions(8));
      assertEquals(7, t.booleanColumn("success").countTrue(), t.print());
      assertTrue(events.stream().anyMatch(e -> e instanceof RotatorEvent.KeyRetired));
      assertTrue(events.stream().anyMatch(e -> e instanceof RotatorEvent.KeyCooled));
      List<Integer> flaky =
          sim.requests().stream()
              .filter(r -> r.prompt().startsWith("flaky") && r.status() != 400 && r.status() != 429)
              .map(SimRequest::status)
              .toList();
      assertEquals(List.of(503, 503, 200), flaky, "two 503s, then the answer");
    }
  }

  @Test
  void maxCostStopsBeforeAPackWouldPassItIssue29() {
    try (Simulator sim = Simulator.builder().start()) {
      Table t =
          Rotator.keys("embed-key-a1")
              .baseUrl(sim.baseUrl())
              .cost(Cost.capped(1e-9))
              .embed(texts("capped", 3), Embedding.DEFAULT.dimensions(8));
      assertEquals(0, t.booleanColumn("success").countTrue());
      assertEquals("cancelled", t.stringColumn("error_type").get(0));
      assertTrue(
          t.stringColumn("error").get(0).contains("max cost"), t.stringColumn("error").get(0));
      assertTrue(sim.requests().isEmpty(), "nothing sent");
    }
  }

  @Test
  void aCostCapOnAModelWithoutAPriceIsRefusedBeforeAnythingIsSentIssue29() {
    try (Simulator sim = Simulator.builder().start()) {
      Rotator r = Rotator.keys("embed-key-a1").baseUrl(sim.baseUrl()).cost(Cost.capped(1));
      IllegalArgumentException e =
          org.junit.jupiter.api.Assertions.assertThrows(
              IllegalArgumentException.class,
              () -> r.embed(texts("unpriced", 3), Embedding.DEFAULT.model("text-embedding-004")));
      assertTrue(e.getMessage().contains("maxCost needs a price"), e.getMessage());
      assertTrue(sim.requests().isEmpty(), "nothing sent");
    }
  }

  @Test
  void killNineMidwayThenResumeEmbedsEveryTextOnceIssue29() throws Exception {
    Path cp = dir.resolve("killed.jsonl");
    int n = 600;
    try (Simulator sim = Simulator.builder().start()) {
      Process child =
          ChildRun.spawn(EmbedChildRun.class, sim.baseUrl(), cp, n, dir.resolve("c.log"));
      long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
      while (Files2.completeLines(cp) < 100) {
        assertTrue(
            child.isAlive() && System.nanoTime() < deadline,
            "child ended before it could be killed: "
                + java.nio.file.Files.readString(dir.resolve("c.log")));
        Thread.sleep(20); // polling another process's file: there is no latch across JVMs
      }
      child.destroyForcibly(); // SIGKILL: no shutdown hook, no flush
      assertTrue(child.waitFor(30, java.util.concurrent.TimeUnit.SECONDS));
      assertTrue(Files2.completeLines(cp) < n, "the child finished before the kill");
      Table t =
          EmbedChildRun.rotator(sim.baseUrl(), cp)
              .embed(EmbedChildRun.texts(n), Embedding.DEFAULT.dimensions(8));
      assertEquals(n, t.booleanColumn("success").countTrue());
      assertEquals(n, Embedding.vectors(t).size());
      Map<String, Long> perText =
          sim.requests().stream()
              .filter(r -> r.status() == 200)
              .collect(Collectors.groupingBy(SimRequest::prompt, Collectors.counting()));
      assertEquals(n, perText.size());
      long twice = perText.values().stream().filter(c -> c > 1).count();
      assertTrue(
          twice <= 38, twice + " texts embedded twice; at most the 2 packs in flight may be");
    }
  }
}
