package dev.gkr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.genai.Client;
import com.google.genai.types.Content;
import com.google.genai.types.CreateCachedContentConfig;
import com.google.genai.types.HttpOptions;
import com.google.genai.types.Part;
import dev.gkr.sim.Quota;
import dev.gkr.sim.SimRequest;
import dev.gkr.sim.Simulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

/**
 * Issue 28, the last gaps, over real HTTP through the SDK: a long system instruction alone is the
 * shared part and is cached; a rerun without any shared part still deletes what a killed run left
 * in its journal; a reused cache's storage is billed from when the killed run created it.
 */
class ContextCacheSharedPartTest {
  static final String A1 = "ctx-part-key-a001", A2 = "ctx-part-key-a002";
  static final String B1 = "ctx-part-key-b001", B2 = "ctx-part-key-b002";

  @TempDir Path dir;
  final FakeClock clock = new FakeClock();

  /** About 10,000 tokens by gkr's estimate (4 bytes a token): a long rubric. */
  private static final String RUBRIC =
      "Score each answer from 1 to 5 for accuracy, clarity and tone. ".repeat(640);

  private static List<String> questions(int n) {
    List<String> out = new ArrayList<>();
    for (int i = 1; i <= n; i++) out.add("Answer " + i + ": the pump starts when primed.");
    return out;
  }

  private Simulator twoProjects() {
    return Simulator.builder()
        .clock(clock::nanoTime)
        .project("alpha", Quota.unlimited(), A1, A2)
        .project("beta", Quota.unlimited(), B1, B2)
        .start();
  }

  private Rotator rotator(Simulator sim) {
    return Rotator.keys(A1, A2, B1, B2)
        .project("alpha", A1, A2)
        .project("beta", B1, B2)
        .baseUrl(sim.baseUrl())
        .slots(1)
        .every("10ms")
        .clock(clock);
  }

  @Test
  void aLongSystemInstructionAloneIsCachedOncePerProject_issue28() throws Exception {
    for (String mode : List.of("on", "auto")) {
      try (Simulator sim = twoProjects()) {
        Rotator r =
            rotator(sim).systemInstruction(RUBRIC).cost(Cost.builder().contextCache(mode).build());
        Table t = r.run(questions(40));
        assertEquals(40, t.booleanColumn("success").countTrue(), t.print());
        assertEquals(2, sim.caches().created(), mode + ": one cache per project");
        assertEquals(0, sim.caches().live(), "deleted at the end");
        for (SimRequest q : sim.requests()) {
          assertTrue(q.system() == null || q.system().isEmpty(), mode + ": " + q.system());
          assertEquals(0, q.parts().size());
        }
        assertTrue(t.intColumn("cached_tokens").get(0) > 5000, t.print());
        List<String> said = r.stats().contextCache();
        assertTrue(said.get(0).startsWith("project alpha cached ("), said.toString());
        assertTrue(said.get(1).startsWith("project beta cached ("), said.toString());
      }
    }
  }

  @Test
  void aShortSystemInstructionAloneMakesNoCacheAndNoCacheLine_issue28() throws Exception {
    try (Simulator sim = twoProjects()) {
      Rotator r = rotator(sim).systemInstruction("Answer in one sentence."); // auto: the default
      Table t = r.run(questions(4));
      assertEquals(4, t.booleanColumn("success").countTrue(), t.print());
      assertEquals(0, sim.caches().created());
      assertTrue(r.stats().contextCache().isEmpty(), r.stats().contextCache().toString());
      assertFalse(r.stats().print().contains("cache:"), r.stats().print());
      assertFalse(t.columnNames().contains("cache"));
      assertTrue(r.plan(questions(4)).contextCache().isEmpty());
    }
  }

  @Test
  void aTaskWhoseOwnSystemInstructionKeepsItFromTheCacheSaysInlineInItsRow_issue28()
      throws Exception {
    try (Simulator sim = twoProjects()) {
      List<Object> tasks = new ArrayList<>(questions(6));
      tasks.add(java.util.Map.of("id", "own", "prompt", "Summarise.", "system", "In French."));
      Table t =
          rotator(sim)
              .systemInstruction(RUBRIC)
              .cost(Cost.builder().contextCache("on").build())
              .run(tasks);
      assertEquals(7, t.booleanColumn("success").countTrue(), t.print());
      List<String> names = t.columnNames();
      assertEquals(names.indexOf("cached_tokens") + 1, names.indexOf("cache"), names.toString());
      for (int i = 0; i < 6; i++) assertEquals("", t.stringColumn("cache").get(i), t.print());
      assertEquals("inline", t.stringColumn("cache").get(6));
      assertEquals(0, t.intColumn("cached_tokens").get(6));
    }
    try (Simulator sim = twoProjects()) {
      Table off =
          rotator(sim)
              .systemInstruction(RUBRIC)
              .cost(Cost.builder().contextCache("off").build())
              .run(questions(2));
      assertFalse(off.columnNames().contains("cache"), "no cache, no column");
    }
  }

  @Test
  void aRerunWithoutTheContextStillDeletesTheKilledRunsCaches_issue28() throws Exception {
    Path cp = dir.resolve("run.jsonl");
    try (Simulator sim = twoProjects()) {
      String name = create(sim, A1, "gkr context abc");
      Path journal = dir.resolve("run.caches.json");
      Files.writeString(
          journal,
          "{\"caches\":[{\"project\":\"alpha\",\"hash\":\"abc\",\"name\":\"" + name + "\"}]}");
      assertEquals(1, sim.caches().live());
      Table t = rotator(sim).checkpoint(cp).run(questions(8)); // no context, no system
      assertEquals(8, t.booleanColumn("success").countTrue(), t.print());
      assertEquals(1, sim.caches().created(), "nothing new");
      assertEquals(0, sim.caches().live(), "the one left behind deleted");
      assertFalse(Files.exists(journal), "nothing left at Google, no journal");
    }
  }

  @Test
  void aRunEntirelyInBatchModeDeletesTheKilledRunsCaches_issue28() throws Exception {
    // One virtual clock: the jobs take minutes of it, the cache left behind lives an hour of it,
    // so it is gone at the end only if the run deleted it.
    Path cp = dir.resolve("batch.jsonl");
    try (Simulator sim =
        Simulator.builder()
            .clock(clock::nanoTime)
            .project("alpha", Quota.unlimited(), A1, A2)
            .project("beta", Quota.unlimited(), B1, B2)
            .batchTiming(Duration.ofMinutes(1), Duration.ofMinutes(5))
            .start()) {
      String name = create(sim, A1, "gkr context abc");
      java.util.concurrent.atomic.AtomicInteger liveAtFirstJob =
          new java.util.concurrent.atomic.AtomicInteger(-1);
      Path journal = dir.resolve("batch.caches.json");
      Files.writeString(
          journal,
          "{\"caches\":[{\"project\":\"alpha\",\"hash\":\"abc\",\"name\":\"" + name + "\"}]}");
      Table t =
          Rotator.keys(A1, A2, B1, B2)
              .project("alpha", A1, A2)
              .project("beta", B1, B2)
              .baseUrl(sim.baseUrl())
              .clock(clock)
              .checkpoint(cp)
              .systemInstruction(RUBRIC)
              .cost(Cost.builder().contextCache("on").build())
              .batchMode(
                  BatchMode.builder()
                      .mode(Mode.BATCH)
                      .polling(Duration.ofSeconds(5), Duration.ofMinutes(5))
                      .build())
              .onEvent(
                  e -> {
                    if (e instanceof RotatorEvent.JobUpdated)
                      liveAtFirstJob.compareAndSet(-1, sim.caches().live());
                  })
              .run(questions(6));
      assertEquals(6, t.booleanColumn("success").countTrue(), t.print());
      assertEquals(0, liveAtFirstJob.get(), "deleted before the jobs, not hours later");
      assertEquals(1, sim.caches().created(), "no cache for the jobs");
      assertEquals(0, sim.caches().live(), "the one left behind deleted");
      assertFalse(Files.exists(journal));
    }
  }

  @Test
  void aReusedCachesStorageIsBilledFromWhenTheKilledRunCreatedIt_issue28() throws Exception {
    Path cp = dir.resolve("reuse.jsonl");
    try (Simulator sim = twoProjects()) {
      Rotator r =
          rotator(sim)
              .checkpoint(cp)
              .systemInstruction(RUBRIC)
              .cost(Cost.builder().contextCache("on").build());
      String hash = dev.gkr.internal.plan.CachePlan.hash(r.settings());
      // The killed run created alpha's cache 30 minutes ago on the run's clock.
      String name = create(sim, A1, "gkr context " + hash);
      Files.writeString(
          dir.resolve("reuse.caches.json"),
          "{\"caches\":[{\"project\":\"alpha\",\"hash\":\""
              + hash
              + "\",\"name\":\""
              + name
              + "\",\"since\":\""
              + clock.instant()
              + "\"}]}");
      clock.advance(Duration.ofMinutes(30));
      Table t = r.run(questions(20)); // the clock stands still during the run
      assertEquals(20, t.booleanColumn("success").countTrue(), t.print());
      assertEquals(2, sim.caches().created(), "alpha's reused, beta's made");
      assertEquals(0, sim.caches().live());
      int tokens = t.intColumn("cached_tokens").get(0);
      assertTrue(tokens > 5000, t.print());
      // $1.00 per million tokens per hour: alpha's 30 minutes before the rerun, and both for the
      // run's own virtual time (its pacing moves the clock about a tenth of a second): under a
      // minute. Billed from the reuse it would be under a minute in all.
      double half = tokens * 1.00 / 1e6 * 0.5, minute = tokens * 1.00 / 1e6 / 60;
      double storage = r.stats().cacheStorageCostUsd();
      assertTrue(storage >= half && storage < half + minute, storage + " vs " + half);
    }
  }

  /** A cache of the rubric made by {@code key}, as a killed run would have left it. */
  private static String create(Simulator sim, String key, String displayName) {
    try (Client c =
        Client.builder()
            .apiKey(key)
            .httpOptions(HttpOptions.builder().baseUrl(sim.baseUrl()).apiVersion("v1beta").build())
            .build()) {
      return c.caches
          .create(
              "gemini-2.5-flash",
              CreateCachedContentConfig.builder()
                  .systemInstruction(Content.fromParts(Part.fromText(RUBRIC)))
                  .displayName(displayName)
                  .build())
          .name()
          .orElseThrow();
    }
  }
}
