package dev.gkr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gkr.sim.SimPart;
import dev.gkr.sim.SimRequest;
import dev.gkr.sim.Simulator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

/**
 * Issue 28, the shared context without a cache: the context files go first in every request, over
 * real HTTP through the SDK to the simulator, before the task's own files and prompt.
 */
class SharedContextTest {
  @TempDir Path dir;

  Path write(String name, String text) throws Exception {
    Path p = dir.resolve(name);
    Files.writeString(p, text, StandardCharsets.UTF_8);
    return p;
  }

  Rotator rotator(Simulator sim) {
    return Rotator.keys("context-key-0001").baseUrl(sim.baseUrl()).files(LocalFiles.in(dir));
  }

  @Test
  void contextFilesGoFirstInEveryRequestBeforeTheTasksOwnFiles_issue28() throws Exception {
    Path contract = write("contract.txt", "Clause 1. The tenant pays rent monthly.\n".repeat(40));
    Path rubric = write("rubric.txt", "Answer in one word.\n");
    Path own = write("own.txt", "This task's own note.\n");
    try (Simulator sim = Simulator.builder().start()) {
      Table t =
          rotator(sim)
              .context(contract, rubric)
              .run(
                  List.of(
                      "Who pays?",
                      Map.of("prompt", "How often?", "files", own.toString()),
                      "Is it fair?"));
      assertEquals(3, t.booleanColumn("success").countTrue(), t.print());
      assertEquals(3, sim.requests().size());
      for (SimRequest r : sim.requests()) {
        List<SimPart> parts = r.parts();
        assertTrue(parts.size() >= 2, r.prompt() + ": " + parts);
        assertEquals(Files.size(contract), parts.get(0).bytes(), r.prompt() + ": contract first");
        assertEquals(Files.size(rubric), parts.get(1).bytes(), r.prompt() + ": rubric second");
        assertTrue(parts.get(0).inline() && parts.get(1).inline());
        int expected = r.prompt().equals("How often?") ? 3 : 2;
        assertEquals(expected, parts.size(), r.prompt() + ": " + parts);
        if (expected == 3) assertEquals(Files.size(own), parts.get(2).bytes());
      }
      // The context counts as input in every row: the contract alone is about 400 tokens.
      for (int i = 0; i < 3; i++) assertTrue(t.intColumn("prompt_tokens").get(i) > 400, t.print());
    }
  }

  @Test
  void aRerunWithTheSameContextSkipsFinishedTasksButAChangedContextAsksAgain_issue28()
      throws Exception {
    Path contract = write("contract.txt", "Version one of the contract.\n");
    Path cp = dir.resolve("run.checkpoint.jsonl");
    List<String> tasks = List.of("Summarise", "Translate");
    try (Simulator sim = Simulator.builder().start()) {
      rotator(sim).context(contract).checkpoint(cp).run(tasks);
      assertEquals(2, sim.requests().size());
      rotator(sim).context(contract).checkpoint(cp).run(tasks);
      assertEquals(2, sim.requests().size(), "same context: nothing asked again");
      Files.writeString(contract, "Version two of the contract.\n");
      rotator(sim).context(contract).checkpoint(cp).run(tasks);
      assertEquals(4, sim.requests().size(), "changed context: each task asked again");
    }
  }

  @Test
  void thePlanCountsTheContextInEveryTaskAtTheInputRate_issue28() throws Exception {
    Path manual = write("manual.txt", "x".repeat(4000)); // 1,000 tokens at 4 bytes a token
    List<String> tasks = List.of("One", "Two", "Three");
    Plan without = Rotator.keys("context-key-0001").plan(tasks);
    Plan with = Rotator.keys("context-key-0001").context(manual).plan(tasks);
    assertEquals(
        without.estimatedPromptTokens() + 3 * 1000,
        with.estimatedPromptTokens(),
        "1,000 context tokens in each of 3 tasks");
    // gemini-2.5-flash standard input: $0.30 per million tokens; 3,000 more tokens: $0.0009 more.
    assertEquals(without.estimatedCostUsd() + 3000 * 0.30 / 1e6, with.estimatedCostUsd(), 1e-12);
  }

  @Test
  void aMissingContextFileIsRefusedAtOnceNamingIt_issue28() {
    Path missing = dir.resolve("nowhere.pdf");
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Rotator.keys("context-key-0001").context(missing));
    assertEquals("context: file " + missing + " does not exist", e.getMessage());
  }
}
