package dev.gkr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gkr.sim.SimRequest;
import dev.gkr.sim.Simulator;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

/**
 * A key's slots are staggered across one interval from the moment the slots really start (issue
 * 15).
 */
class SlotStaggerTest {

  @Test
  void aKeysSlotsArriveHalfAnIntervalApartEvenWithManyKeys_issue15() {
    int keys = 40;
    Duration every = Duration.ofSeconds(2);
    List<String> keyList =
        java.util.stream.IntStream.rangeClosed(1, keys)
            .mapToObj(i -> "stagger-key-" + (1000 + i))
            .toList();
    try (Simulator sim = Simulator.builder().latency(Duration.ofMillis(5), Duration.ZERO).start()) {
      // One task per slot: each slot's single request is its first start.
      Table t =
          Rotator.keys(keyList)
              .slots(2)
              .every(every)
              .baseUrl(sim.baseUrl())
              .run(EngineTest.prompts("stagger", keys * 2));
      assertEquals(keys * 2, t.booleanColumn("success").countTrue());
      Map<String, List<Long>> arrivals =
          sim.requests().stream()
              .collect(
                  Collectors.groupingBy(
                      SimRequest::key, Collectors.mapping(SimRequest::nanos, Collectors.toList())));
      assertEquals(keys, arrivals.size());
      long shortest = Long.MAX_VALUE;
      for (List<Long> a : arrivals.values()) {
        assertEquals(2, a.size());
        shortest = Math.min(shortest, Math.abs(a.get(1) - a.get(0)));
      }
      // Planned 1 s apart (every / slots). Half of that as the bound: a busy machine can delay one
      // slot's wake-up
      // by a few hundred ms, but before the fix both slots of a key arrived within milliseconds of
      // each other
      // whenever building the clients for 40 keys took longer than the stagger.
      long bound = every.toNanos() / 2 / 2;
      assertTrue(
          shortest >= bound, "two slots of one key arrived " + shortest / 1_000_000 + " ms apart");
    }
  }
}
