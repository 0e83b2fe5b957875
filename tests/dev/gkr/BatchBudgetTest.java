package dev.gkr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gkr.sim.Simulator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

/**
 * {@code --max-cost} holds in Batch Mode too: a job is submitted only with tasks whose worst case
 * (input plus maxOutputTokens of output, at the batch rate) fits under the cap with what is spent
 * and what running jobs may still cost. Before, Batch Mode never looked at the cap.
 */
class BatchBudgetTest {
  @TempDir Path dir;

  /**
   * Room for two worst cases (about $0.000126 each: 100 output tokens at the batch rate of $1.25 a
   * million, plus the prompt), while the 40 answers cost about $0.0005 (about 10 tokens each).
   */
  private static final double CAP = 0.0003;

  @Test
  void batchModeStopsAtMaxCostAndARerunSendsTheRest() {
    List<String> prompts =
        IntStream.rangeClosed(1, 40).mapToObj(i -> "budgeted question " + i).toList();
    FakeClock clock = new FakeClock();
    Path cp = dir.resolve("budget.checkpoint.jsonl");
    try (Simulator sim =
        Simulator.builder()
            .clock(clock::nanoTime)
            .batchTiming(Duration.ofSeconds(10), Duration.ofSeconds(30))
            .start()) {
      Rotator capped = rotator(sim, clock, cp).maxCost(CAP);
      Table first = capped.run(prompts);
      assertEquals(RunState.BUDGET_REACHED, capped.stats().state());
      int done = first.booleanColumn("success").countTrue();
      long cancelled =
          first.stringColumn("error_type").asList().stream().filter("cancelled"::equals).count();
      assertTrue(done >= 2, "the first job's tasks fit: " + done);
      assertEquals(prompts.size(), done + cancelled, "each task done or cancelled, none failed");
      assertTrue(cancelled > 0, "the cap stopped the run before the last tasks");
      double spent = first.doubleColumn("cost_usd").sum();
      assertTrue(spent > 0 && spent <= CAP, "spent " + spent + " within the cap " + CAP);
      assertEquals(spent, capped.stats().costUsd(), 1e-9);

      Rotator rerun = rotator(sim, clock, cp);
      Table second = rerun.run(prompts);
      assertEquals(RunState.COMPLETED, rerun.stats().state());
      assertEquals(prompts.size(), second.booleanColumn("success").countTrue());
      assertEquals(
          done, rerun.stats().restored(), "the first run's answers come from the checkpoint");
      List<String> submitted =
          sim.batches().stream().flatMap(b -> b.requestKeys().stream()).sorted().toList();
      assertEquals(
          IntStream.rangeClosed(1, prompts.size()).mapToObj(Integer::toString).sorted().toList(),
          submitted,
          "each task was submitted once over both runs: cancelled ones were never sent");
    }
  }

  private static Rotator rotator(Simulator sim, FakeClock clock, Path cp) {
    return Rotator.keys("budget-key-0001")
        .baseUrl(sim.baseUrl())
        .clock(clock)
        .mode(Mode.BATCH)
        .maxOutputTokens(100)
        .thinkingBudget(0) // the simulated 2.5 model would think away all 100 tokens
        .checkpoint(cp)
        .batchPolling(Duration.ofSeconds(5), Duration.ofMinutes(1));
  }
}
