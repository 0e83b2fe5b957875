package dev.gkr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gkr.sim.Simulator;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

/**
 * Batch Mode results are priced at the batch rate: half of what the same answers cost synchronously
 * (issue 19).
 */
class BatchCostTest {

  @Test
  void aBatchRunCostsHalfOfTheSameSyncRun_issue19() {
    List<String> prompts =
        IntStream.rangeClosed(1, 6).mapToObj(i -> "priced question " + i).toList();
    FakeClock clock = new FakeClock();
    try (Simulator sim =
        Simulator.builder()
            .clock(clock::nanoTime)
            .batchTiming(Duration.ofMinutes(1), Duration.ofMinutes(5))
            .start()) {
      Table sync = Rotator.keys("cost-key-0001").baseUrl(sim.baseUrl()).run(prompts);
      Table batch =
          Rotator.keys("cost-key-0001")
              .baseUrl(sim.baseUrl())
              .clock(clock)
              .batchMode(
                  BatchMode.builder()
                      .mode(Mode.BATCH)
                      .polling(Duration.ofSeconds(5), Duration.ofMinutes(5))
                      .build())
              .run(prompts);
      assertEquals(
          sync.intColumn("prompt_tokens").asList(),
          batch.intColumn("prompt_tokens").asList(),
          "the same answers");
      assertEquals(
          sync.intColumn("output_tokens").asList(),
          batch.intColumn("output_tokens").asList(),
          "the same answers");
      for (int i = 0; i < prompts.size(); i++) {
        double standard = sync.doubleColumn("cost_usd").get(i);
        assertTrue(standard > 0, "gemini-2.5-flash has a standard price");
        assertEquals(
            standard / 2, batch.doubleColumn("cost_usd").get(i), standard * 1e-9, "row " + i);
        assertEquals("batch", batch.stringColumn("service_tier").get(i));
      }
    }
  }
}
