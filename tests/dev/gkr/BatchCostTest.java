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
 * (issue 19). Both bills are computed by hand from the tokens Google's own SDK reads in the
 * simulator's answers (gemini-2.5-flash: $0.30 input and $2.50 output per 1M tokens, batch half of
 * both), so a token or price bug shared by gkr's two parts cannot pass.
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
      com.google.genai.Client sdk =
          com.google.genai.Client.builder()
              .apiKey("cost-key-0001")
              .httpOptions(
                  com.google.genai.types.HttpOptions.builder()
                      .baseUrl(sim.baseUrl())
                      .apiVersion("v1beta")
                      .build())
              .build();
      for (int i = 0; i < prompts.size(); i++) {
        var usage =
            sdk.models
                .generateContent("gemini-2.5-flash", prompts.get(i), null)
                .usageMetadata()
                .orElseThrow();
        int in = usage.promptTokenCount().orElseThrow();
        int out = usage.candidatesTokenCount().orElse(0) + usage.thoughtsTokenCount().orElse(0);
        assertTrue(in > 0 && out > 0, "row " + i + ": " + usage);
        double standard = (in * 0.30 + out * 2.50) / 1e6;
        double batchRate = (in * 0.15 + out * 1.25) / 1e6;
        assertEquals(standard, sync.doubleColumn("cost_usd").get(i), 1e-12, "sync row " + i);
        assertEquals(batchRate, batch.doubleColumn("cost_usd").get(i), 1e-12, "batch row " + i);
        assertEquals("batch", batch.stringColumn("service_tier").get(i));
        assertTrue(batch.booleanColumn("success").get(i), "batch row " + i);
      }
    }
  }
}
