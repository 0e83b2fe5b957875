package dev.gkr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gkr.sim.Quota;
import dev.gkr.sim.SimRequest;
import dev.gkr.sim.Simulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

/**
 * Issue 28, {@code --cache off|auto|on} through the Rotator over real HTTP: the cost decision per
 * project, the bill with storage, the cost cap, the TTL extended while the run lasts, a lost cache
 * created again once, the one notice, and tasks with their own system instruction. The engine and
 * the simulator share one {@link FakeClock}, so a TTL runs out when the test says.
 */
class ContextCacheRunTest {
  static final String A1 = "ctx-run-key-a001", A2 = "ctx-run-key-a002", A3 = "ctx-run-key-a003";
  static final String B1 = "ctx-run-key-b001";

  @TempDir Path dir;
  final FakeClock clock = new FakeClock();
  final List<String> notices = new CopyOnWriteArrayList<>();

  /** About 2,500 tokens by gkr's estimate (4 bytes a token): above 2.5 Flash's 1,024. */
  private Path manual() throws Exception {
    Path manual = dir.resolve("manual.txt");
    Files.writeString(manual, "The pump must be primed before each start. ".repeat(230));
    return manual;
  }

  private static List<String> questions(int n) {
    List<String> out = new ArrayList<>();
    for (int i = 1; i <= n; i++) out.add("Question " + i + ": how do I start the pump?");
    return out;
  }

  private Simulator.Builder sim() {
    return Simulator.builder().clock(clock::nanoTime);
  }

  /** One key, one slot: tasks are answered in order; {@code afterDone} sees each count done. */
  private Rotator oneKey(Simulator sim, String cache, IntConsumer afterDone) throws Exception {
    AtomicInteger done = new AtomicInteger();
    return Rotator.keys(A1)
        .baseUrl(sim.baseUrl())
        .slots(1)
        .clock(clock)
        .systemInstruction("Answer in one sentence.")
        .context(manual())
        .cost(Cost.builder().contextCache(cache).build())
        .onEvent(
            e -> {
              if (e instanceof RotatorEvent.TaskDone) afterDone.accept(done.incrementAndGet());
              if (e instanceof RotatorEvent.Notice n) notices.add(n.message());
            });
  }

  @Test
  void theWholeBillIsTheRequestsAtTheCachedRatePlusStorageForTheTimeTheCacheLived_issue28()
      throws Exception {
    try (Simulator sim = sim().start()) {
      // auto: 10 requests save 10 x 2,500 x (0.30 - 0.03) / 1M = $0.00675, more than an hour of
      // storage (2,500 x $1.00 / 1M = $0.0025): cached. The cache lives 30 minutes of run time.
      Rotator r =
          oneKey(sim, "auto", n -> clock.advance(n == 10 ? Duration.ofMinutes(30) : Duration.ZERO));
      Table t = r.run(questions(10));
      assertEquals(10, t.booleanColumn("success").countTrue(), t.print());
      assertEquals(1, sim.caches().created());
      assertEquals(0, sim.caches().live(), "deleted at the end");
      int cached = t.intColumn("cached_tokens").get(0);
      assertTrue(cached > 2000, "cached " + cached);
      double requests = 0;
      for (int i = 0; i < 10; i++) {
        assertEquals(cached, t.intColumn("cached_tokens").get(i));
        int in = t.intColumn("prompt_tokens").get(i);
        int out = t.intColumn("output_tokens").get(i) + t.intColumn("thoughts_tokens").get(i);
        double row = ((in - cached) * 0.30 + cached * 0.03 + out * 2.50) / 1e6;
        assertEquals(row, t.doubleColumn("cost_usd").get(i), 1e-12, "cost_usd is the request's");
        requests += row;
      }
      double storage = cached * 1.00 / 1e6 * 0.5; // $1.00 per million tokens per hour, 30 min
      RunStats s = r.stats();
      assertEquals(requests, s.costUsd(), 1e-12);
      assertEquals(storage, s.cacheStorageCostUsd(), 1e-12);
      assertTrue(
          s.costText().endsWith(" + " + String.format("$%.6f", storage) + " context cache storage"),
          s.costText());
      String summary = s.print();
      assertTrue(summary.contains("cache: project key-1 cached (saves about $"), summary);
      assertTrue(summary.contains("): saved $"), summary);
    }
  }

  @Test
  void autoCachesOnlyTheProjectWhoseShareOfTheTasksPaysForTheStorage_issue28() throws Exception {
    // Storage at $100 per million tokens per hour: 2,500 tokens for the plan's ~10 minutes cost
    // about $0.042; each request saves 2,500 x 0.27 / 1M = $0.000675. alpha's three keys take
    // about 75 of the 100 tasks ($0.05 saved: cached), beta's one key about 25 ($0.017: inline).
    String prices =
        "{\"models\":{\"gemini-2.5-flash\":{\"cacheStorage\":100,"
            + "\"standard\":{\"input\":0.30,\"output\":2.50,\"cachedInput\":0.03}}}}";
    try (Simulator sim =
        sim()
            .project("alpha", Quota.unlimited(), A1, A2, A3)
            .project("beta", Quota.unlimited(), B1)
            .start()) {
      Rotator r =
          Rotator.keys(A1, A2, A3, B1)
              .project("alpha", A1, A2, A3)
              .project("beta", B1)
              .baseUrl(sim.baseUrl())
              .slots(1)
              .every("10ms")
              .clock(clock)
              .context(manual())
              .cost(Cost.builder().prices(prices).build()); // contextCache auto: the default
      Plan plan = r.plan(questions(100));
      assertEquals(2, plan.contextCache().size(), plan.print());
      assertTrue(plan.contextCache().get(0).startsWith("project alpha cached (saves about $"));
      assertTrue(plan.contextCache().get(1).startsWith("project beta inline (storage $"));
      assertTrue(plan.print().contains("cache:     project alpha cached"), plan.print());
      Table t = r.run(questions(100));
      assertEquals(100, t.booleanColumn("success").countTrue(), t.print());
      assertEquals(1, sim.caches().created(), "alpha only");
      assertEquals(0, sim.caches().live());
      for (SimRequest q : sim.requests()) {
        boolean beta = q.key().endsWith("b001");
        assertEquals(beta ? 1 : 0, q.parts().size(), "beta sends the context inline: " + q.key());
      }
      List<String> said = r.stats().contextCache();
      assertTrue(said.get(0).startsWith("project alpha cached (saves about $"), said.toString());
      assertTrue(said.get(1).startsWith("project beta inline (storage $"), said.toString());
    }
  }

  @Test
  void aCachedRequestGetsTheAnswerAndTokensOfTheSameContentSentInline_issue28() throws Exception {
    Table on, off;
    try (Simulator sim = sim().start()) {
      on = oneKey(sim, "on", n -> {}).run(questions(4));
      assertEquals(1, sim.caches().created());
    }
    try (Simulator sim = sim().start()) {
      off = oneKey(sim, "off", n -> {}).run(questions(4));
      assertEquals(0, sim.caches().created());
    }
    for (String c : List.of("response", "prompt_tokens", "thoughts_tokens", "output_tokens"))
      for (int i = 0; i < 4; i++)
        assertEquals(off.column(c).get(i), on.column(c).get(i), c + " of row " + i);
    assertTrue(on.stringColumn("response").get(0).contains("(system: "), "the cache's system");
    assertTrue(on.intColumn("cached_tokens").get(0) > 2000);
    assertEquals(0, off.intColumn("cached_tokens").get(0));
  }

  @Test
  void offSendsTheContextInlineEvenWhereCachingWouldPay_issue28() throws Exception {
    try (Simulator sim = sim().start()) {
      Table t = oneKey(sim, "off", n -> {}).run(questions(10));
      assertEquals(10, t.booleanColumn("success").countTrue());
      assertEquals(0, sim.caches().created());
      for (SimRequest q : sim.requests()) assertEquals(1, q.parts().size());
    }
  }

  @Test
  void theCacheIsExtendedWhileTheRunLastsPastItsTtl_issue28() throws Exception {
    try (Simulator sim = sim().start()) {
      // every 0: the plan cannot tell the wall time, so the TTL is an hour. 57 minutes after the
      // third answer the fourth request finds 3 minutes left and extends it by 10; 8 more after
      // the sixth, it is extended again: 65 minutes in all on one cache.
      Rotator r =
          oneKey(
              sim,
              "on",
              n -> {
                if (n == 3) clock.advance(Duration.ofMinutes(57));
                if (n == 6) clock.advance(Duration.ofMinutes(8));
              });
      Table t = r.run(questions(9));
      assertEquals(9, t.booleanColumn("success").countTrue(), t.print());
      assertEquals(1, sim.caches().created(), "extended, never expired");
      assertEquals(0, sim.caches().live());
      for (SimRequest q : sim.requests()) assertEquals(0, q.parts().size());
    }
  }

  @Test
  void aCacheThatExpiredIsCreatedAgainOnceAndTheTaskIsNotLost_issue28() throws Exception {
    try (Simulator sim = sim().start()) {
      Rotator r = oneKey(sim, "on", n -> clock.advance(Duration.ofMinutes(n == 3 ? 61 : 0)));
      Table t = r.run(questions(6));
      assertEquals(6, t.booleanColumn("success").countTrue(), t.print());
      assertEquals(1, t.intColumn("attempts").get(3), "asked again at once, not a failed attempt");
      assertEquals(2, sim.caches().created(), "the expired one, and one more");
      assertEquals(0, sim.caches().live());
      assertTrue(
          notices.stream().noneMatch(m -> m.startsWith("context cache")), notices.toString());
    }
  }

  @Test
  void aKeyThatCannotCreateTheCacheRunsItsProjectInlineWithOneNotice_issue28() throws Exception {
    Path note = dir.resolve("note.txt");
    Files.writeString(note, "A short shared note.\n");
    try (Simulator sim = sim().project("p", Quota.unlimited(), A1, A2).start()) {
      Rotator r =
          Rotator.keys(A1, A2)
              .project("p", A1, A2)
              .baseUrl(sim.baseUrl())
              .clock(clock)
              .context(note)
              .cost(Cost.builder().contextCache("on").build())
              .onEvent(
                  e -> {
                    if (e instanceof RotatorEvent.Notice n) notices.add(n.message());
                  });
      Table t = r.run(questions(8));
      assertEquals(8, t.booleanColumn("success").countTrue());
      assertEquals(0, sim.caches().created(), "the simulator's 400: below the minimum");
      for (SimRequest q : sim.requests()) assertEquals(1, q.parts().size(), "inline");
      List<String> mine = notices.stream().filter(m -> m.startsWith("context cache")).toList();
      assertEquals(1, mine.size(), notices.toString());
      assertTrue(mine.get(0).startsWith("context cache: project p runs inline: "), mine.get(0));
      assertTrue(mine.get(0).contains("too small"), mine.get(0));
      assertTrue(r.stats().contextCache().get(0).startsWith("project p inline ("));
    }
  }

  @Test
  void maxCostReservesTheStorageBeforeCreatingAndRunsInlineWhenItDoesNotFit_issue28()
      throws Exception {
    // Storage at $1,000 per million tokens per hour: 2,500 tokens for the hour's TTL reserve
    // about $2.50, more than the $1.00 cap; the requests themselves fit.
    String prices =
        "{\"models\":{\"gemini-2.5-flash\":{\"cacheStorage\":1000,"
            + "\"standard\":{\"input\":0.30,\"output\":2.50,\"cachedInput\":0.03}}}}";
    try (Simulator sim = sim().start()) {
      Rotator r =
          oneKey(sim, "on", n -> {})
              .cost(Cost.builder().contextCache("on").prices(prices).maxCost(1.00).build());
      Table t = r.run(questions(3));
      assertEquals(3, t.booleanColumn("success").countTrue(), t.print());
      assertEquals(0, sim.caches().created());
      List<String> mine = notices.stream().filter(m -> m.startsWith("context cache")).toList();
      assertEquals(1, mine.size(), notices.toString());
      assertTrue(
          mine.get(0)
              .startsWith(
                  "context cache: project key-1 runs inline: the max cost leaves no room for"
                      + " its storage ($2."),
          mine.get(0));
      assertEquals(0, r.stats().cacheStorageCostUsd());
    }
  }

  @Test
  void aTaskWithItsOwnSystemInstructionRunsInlineAndTheSummarySaysSo_issue28() throws Exception {
    try (Simulator sim = sim().start()) {
      List<Object> tasks = new ArrayList<>(questions(5));
      tasks.add(Map.of("id", "own", "prompt", "Summarise.", "system", "Answer in French."));
      Rotator r = oneKey(sim, "on", n -> {});
      Table t = r.run(tasks);
      assertEquals(6, t.booleanColumn("success").countTrue(), t.print());
      assertEquals(0, t.intColumn("cached_tokens").get(5), "its row shows it ran uncached");
      SimRequest own =
          sim.requests().stream().filter(q -> q.prompt().equals("Summarise.")).findFirst().get();
      assertEquals("Answer in French.", own.system());
      assertEquals(1, own.parts().size(), "the context inline");
      assertTrue(
          r.stats()
              .contextCache()
              .contains("1 task ran inline (its own system instruction or config)"),
          r.stats().contextCache().toString());
      assertFalse(
          sim.requests().stream().filter(q -> q != own).anyMatch(q -> !q.parts().isEmpty()));
    }
  }
}
