package dev.gkr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gkr.sim.KeyBehavior;
import dev.gkr.sim.SimBatch;
import dev.gkr.sim.Simulator;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

/**
 * One project refusing to create a job must not hold back the projects after it (found in a
 * new-user trial).
 */
class BatchSubmitTest {

  @Test
  void aProjectThatRefusesAJobDoesNotStopTheOthersFromGettingTheirs() {
    FakeClock clock = new FakeClock();
    List<String> keys = List.of("sub-key-0001", "sub-key-0002", "sub-key-0003", "sub-key-0004");
    try (Simulator sim =
        Simulator.builder()
            .clock(clock::nanoTime)
            .batchTiming(Duration.ofMinutes(1), Duration.ofMinutes(5))
            .key(keys.get(1), KeyBehavior.rateLimitedFirst(1, Duration.ofSeconds(2)))
            .start()) {
      List<String> prompts =
          IntStream.rangeClosed(1, 12).mapToObj(i -> "submitted question " + i).toList();
      Table t =
          Rotator.keys(keys)
              .baseUrl(sim.baseUrl())
              .clock(clock)
              .batchMode(
                  BatchMode.builder()
                      .mode(Mode.BATCH)
                      .polling(Duration.ofSeconds(5), Duration.ofMinutes(5))
                      .build())
              .run(prompts);
      assertEquals(12, t.rowCount(), "every task has its row");
      for (int i = 0; i < 12; i++)
        assertTrue(
            t.booleanColumn("success").get(i),
            "task "
                + (i + 1)
                + " after "
                + t.intColumn("attempts").get(i)
                + " attempts on "
                + t.stringColumn("key").get(i)
                + ": "
                + t.stringColumn("error").get(i));
      assertEquals(
          Simulator.answerFor("submitted question 7", "", null),
          t.stringColumn("response").get(6),
          "each task has its own answer");
      // The first round: key 2 is refused once, keys 1, 3 and 4 each get a job (before the fix, 3
      // and 4 waited).
      Set<String> firstRound =
          sim.batches().stream().limit(3).map(SimBatch::key).collect(Collectors.toSet());
      assertEquals(Set.of("…0001", "…0003", "…0004"), firstRound, sim.batches().toString());
      assertTrue(sim.batches().size() >= 3);
    }
  }
}
