package dev.gkr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gkr.sim.Quota;
import dev.gkr.sim.Simulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

/**
 * Issue 28: the caches of a run killed with SIGKILL are in the journal beside its checkpoint; the
 * rerun reuses those of the same content and deletes those of another, never paying for a second
 * one of the same content.
 */
class ContextCacheCrashTest {
  @TempDir Path dir;

  private static Simulator sim() {
    return Simulator.builder()
        .project("alpha", Quota.unlimited(), CacheChildRun.A1, CacheChildRun.A2)
        .project("beta", Quota.unlimited(), CacheChildRun.B1, CacheChildRun.B2)
        .start();
  }

  /** Starts the child and kills it once {@code lines} tasks are in its checkpoint. */
  private void killMidway(Simulator sim, Path cp, int tasks, int lines) throws Exception {
    Files.writeString(
        cp.resolveSibling("manual.txt"), "The pump must be primed before each start. ".repeat(200));
    Process child =
        ChildRun.spawn(CacheChildRun.class, sim.baseUrl(), cp, tasks, dir.resolve("c.log"));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (Files2.completeLines(cp) < lines) {
      assertTrue(
          child.isAlive() && System.nanoTime() < deadline,
          "child ended before it could be killed: " + Files2.text(dir.resolve("c.log")));
      Thread.sleep(20); // polling another process's file: there is no latch across JVMs
    }
    child.destroyForcibly(); // SIGKILL: no shutdown hook, the caches are not deleted
    assertTrue(child.waitFor(30, TimeUnit.SECONDS));
    assertTrue(Files2.completeLines(cp) < tasks, "the child finished before the kill");
  }

  @Test
  void aRerunAfterKillNineReusesEachProjectsCacheAndCreatesNoSecond_issue28() throws Exception {
    Path cp = dir.resolve("killed.jsonl");
    int n = 600;
    try (Simulator sim = sim()) {
      killMidway(sim, cp, n, 100);
      assertEquals(2, sim.caches().created());
      assertEquals(2, sim.caches().live(), "left behind by the kill");
      Path journal = dir.resolve("killed.caches.json");
      JsonNode j = new ObjectMapper().readTree(journal.toFile());
      assertEquals(2, j.path("caches").size(), j.toString());
      for (JsonNode c : j.path("caches"))
        assertFalse(c.path("name").asText().isEmpty(), j.toString());
      Table t = CacheChildRun.rotator(sim.baseUrl(), cp).run(CacheChildRun.questions(n));
      assertEquals(n, t.booleanColumn("success").countTrue());
      assertEquals(2, sim.caches().created(), "one per project in both runs together");
      assertEquals(0, sim.caches().live(), "deleted at the end of the rerun");
      assertFalse(Files.exists(journal), "nothing left at Google, no journal");
    }
  }

  @Test
  void aRerunWithAnotherContextDeletesTheKilledRunsCachesAndMakesNew_issue28() throws Exception {
    Path cp = dir.resolve("changed.jsonl");
    int n = 600;
    try (Simulator sim = sim()) {
      killMidway(sim, cp, n, 100);
      Files.writeString(cp.resolveSibling("manual.txt"), "Close the valve first. ".repeat(400));
      Table t = CacheChildRun.rotator(sim.baseUrl(), cp).run(CacheChildRun.questions(n));
      assertEquals(n, t.booleanColumn("success").countTrue());
      assertEquals(4, sim.caches().created(), "two stale, two of the new content");
      assertEquals(0, sim.caches().live(), "the stale ones deleted too");
    }
  }

  @Test
  void aCacheCreatedJustBeforeTheKillIsFoundByItsContentAndReused_issue28() throws Exception {
    // The crash window between the journal's intent and the create call's answer: the journal
    // has no name, the cache exists; its display name carries the content's hash.
    Path cp = dir.resolve("window.jsonl");
    Files.writeString(
        cp.resolveSibling("manual.txt"), "The pump must be primed before each start. ".repeat(200));
    try (Simulator sim = sim()) {
      Rotator r = CacheChildRun.rotator(sim.baseUrl(), cp);
      String hash = dev.gkr.internal.plan.CachePlan.hash(r.settings());
      createAsAlpha(sim, cp, "gkr context " + hash);
      Files.writeString(
          dir.resolve("window.caches.json"),
          "{\"caches\":[{\"project\":\"alpha\",\"hash\":\"" + hash + "\"}]}");
      Table t = r.run(CacheChildRun.questions(40));
      assertEquals(40, t.booleanColumn("success").countTrue());
      assertEquals(2, sim.caches().created(), "alpha's found and reused, beta's made");
      assertEquals(0, sim.caches().live());
    }
  }

  @Test
  void aRerunWithNothingLeftToAskStillDeletesTheKilledRunsCaches_issue28() throws Exception {
    Path cp = dir.resolve("done.jsonl");
    Files.writeString(
        cp.resolveSibling("manual.txt"), "The pump must be primed before each start. ".repeat(200));
    try (Simulator sim = sim()) {
      Rotator r = CacheChildRun.rotator(sim.baseUrl(), cp);
      r.run(CacheChildRun.questions(20)); // every task in the checkpoint
      int before = sim.caches().created();
      // As if killed after the last answer, before the caches were deleted:
      String name = createAsAlpha(sim, cp, "gkr context left behind");
      Files.writeString(
          dir.resolve("done.caches.json"),
          "{\"caches\":[{\"project\":\"alpha\",\"hash\":\"x\",\"name\":\"" + name + "\"}]}");
      assertEquals(1, sim.caches().live());
      Table t = r.run(CacheChildRun.questions(20));
      assertEquals(20, t.booleanColumn("success").countTrue());
      assertEquals(before + 1, sim.caches().created(), "nothing new");
      assertEquals(0, sim.caches().live(), "the one left behind deleted");
      assertFalse(Files.exists(dir.resolve("done.caches.json")));
    }
  }

  /** A cache of the context made by alpha's first key, as a killed run would have left it. */
  private static String createAsAlpha(Simulator sim, Path cp, String displayName) throws Exception {
    try (com.google.genai.Client a1 =
        com.google.genai.Client.builder()
            .apiKey(CacheChildRun.A1)
            .httpOptions(
                com.google.genai.types.HttpOptions.builder()
                    .baseUrl(sim.baseUrl())
                    .apiVersion("v1beta")
                    .build())
            .build()) {
      return a1.caches
          .create(
              "gemini-2.5-flash",
              com.google.genai.types.CreateCachedContentConfig.builder()
                  .contents(
                      com.google.genai.types.Content.fromParts(
                          com.google.genai.types.Part.fromText(
                              Files.readString(cp.resolveSibling("manual.txt")))))
                  .displayName(displayName)
                  .build())
          .name()
          .orElseThrow();
    }
  }
}
