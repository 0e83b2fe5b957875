package dev.gkr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gkr.internal.config.Settings;
import dev.gkr.internal.request.TaskInputs;
import dev.gkr.internal.run.Run;
import dev.gkr.sim.Quota;
import dev.gkr.sim.SimRequest;
import dev.gkr.sim.Simulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

/**
 * Issue 28, explicit caching as the engine does it ({@code --cache on}, set through the settings
 * here; the option itself is in ContextCacheRunTest): one cache per project, created by its first
 * key, used by all its keys, deleted at the end; a request naming it sends neither the context nor
 * the system instruction, and its rows bill the cached tokens.
 */
class ContextCacheTest {
  static final String A1 = "ctx-cache-key-a001", A2 = "ctx-cache-key-a002";
  static final String B1 = "ctx-cache-key-b001", B2 = "ctx-cache-key-b002";

  @TempDir Path dir;

  @Test
  void oneCachePerProjectUsedByAllItsKeysAndDeletedAtTheEnd_issue28() throws Exception {
    Path manual = dir.resolve("manual.txt");
    Files.writeString(manual, "The pump must be primed before each start. ".repeat(200));
    List<String> tasks = new ArrayList<>();
    for (int i = 0; i < 12; i++) tasks.add("Question " + i + ": how do I start the pump?");
    try (Simulator sim =
        Simulator.builder()
            .project("alpha", Quota.unlimited(), A1, A2)
            .project("beta", Quota.unlimited(), B1, B2)
            .start()) {
      Rotator r =
          Rotator.keys(A1, A2, B1, B2)
              .project("alpha", A1, A2)
              .project("beta", B1, B2)
              .baseUrl(sim.baseUrl())
              .slots(2)
              .every("100ms") // each of the 8 slots starts once before any starts twice
              .systemInstruction("Answer in one sentence.")
              .context(manual);
      Settings s = r.settings();
      Settings cached = s.withRequest(s.request().withContextCache());
      Table t = new Run(cached).run(TaskInputs.fromList(tasks));
      assertEquals(12, t.booleanColumn("success").countTrue(), t.print());
      assertEquals(2, sim.caches().created(), "one cache per project");
      assertEquals(0, sim.caches().live(), "deleted at the end");
      assertEquals(12, sim.requests().size());
      for (SimRequest q : sim.requests()) {
        assertEquals("", q.system(), "a request naming a cache sends no systemInstruction");
        assertEquals(0, q.parts().size(), "the context is in the cache, not the request");
      }
      // Every key of both projects asked, and every row counts the cache's tokens as cached.
      assertEquals(4, sim.requests().stream().map(SimRequest::key).distinct().count());
      int cachedTokens = t.intColumn("cached_tokens").get(0);
      assertTrue(cachedTokens > 2000, "cached " + cachedTokens);
      for (int i = 0; i < 12; i++) assertEquals(cachedTokens, t.intColumn("cached_tokens").get(i));
      // The bill by hand (gemini-2.5-flash standard, $ per million): uncached input 0.30, cached
      // input 0.03, output and thinking 2.50.
      int in = t.intColumn("prompt_tokens").get(0);
      int out = t.intColumn("output_tokens").get(0) + t.intColumn("thoughts_tokens").get(0);
      double bill = ((in - cachedTokens) * 0.30 + cachedTokens * 0.03 + out * 2.50) / 1e6;
      assertEquals(bill, t.doubleColumn("cost_usd").get(0), 1e-12);
    }
  }

  @Test
  void aContextBelowTheMinimumRunsUncachedInline_issue28() throws Exception {
    Path note = dir.resolve("note.txt");
    Files.writeString(note, "A short shared note.\n");
    try (Simulator sim = Simulator.builder().start()) {
      Rotator r = Rotator.keys(A1).baseUrl(sim.baseUrl()).context(note);
      Settings s = r.settings();
      Table t =
          new Run(s.withRequest(s.request().withContextCache()))
              .run(TaskInputs.fromList(List.of("One", "Two")));
      assertEquals(2, t.booleanColumn("success").countTrue(), t.print());
      assertEquals(0, sim.caches().created(), "the 400 below the minimum: no cache");
      for (SimRequest q : sim.requests()) assertEquals(1, q.parts().size(), "context inline");
    }
  }
}
