package dev.gkr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gkr.sim.KeyBehavior;
import dev.gkr.sim.SimBatch;
import dev.gkr.sim.Simulator;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

/**
 * Batch Mode's leftovers (here: the tasks of a key that refused its create calls) go into one job,
 * not into as many small jobs as there are projects with room: 40 tasks once ended with five
 * one-request jobs. Against the simulator's Batch API, in virtual time.
 */
class BatchLeftoversTest {
  @Test
  void leftoversGoIntoOneJobNotOneJobPerFreeProject_issue25() {
    FakeClock clock = new FakeClock();
    try (Simulator sim =
        Simulator.builder()
            .clock(clock::nanoTime)
            .batchTiming(Duration.ofSeconds(30), Duration.ofSeconds(30))
            .key("left-key-0008", KeyBehavior.rateLimitedFirst(3, Duration.ofSeconds(1)))
            .start()) {
      List<String> keys = IntStream.rangeClosed(1, 8).mapToObj(i -> "left-key-000" + i).toList();
      Table t =
          Rotator.keys(keys)
              .baseUrl(sim.baseUrl())
              .clock(clock)
              .batchMode(
                  BatchMode.builder()
                      .mode(Mode.BATCH)
                      .polling(Duration.ofSeconds(5), Duration.ofMinutes(1))
                      .build())
              .run(IntStream.rangeClosed(1, 40).mapToObj(i -> "leftover question " + i).toList());
      assertEquals(40, t.booleanColumn("success").countTrue(), t.print());
      List<Integer> sizes = sim.batches().stream().map(b -> b.requestKeys().size()).toList();
      assertEquals(8, sizes.size(), "seven jobs of five, then one for the five left: " + sizes);
      assertTrue(sizes.stream().allMatch(n -> n == 5), "job sizes: " + sizes);
      assertEquals(
          List.of(),
          sim.batches().stream().filter(b -> b.key().endsWith("0008")).map(SimBatch::name).toList(),
          "the refusing key made no job");
    }
  }
}
