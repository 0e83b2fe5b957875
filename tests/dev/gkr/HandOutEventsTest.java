package dev.gkr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gkr.sim.Simulator;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

/**
 * Events raised while a task is handed out reach the listeners at once, not with the next answer
 * (issue 15).
 */
class HandOutEventsTest {

  /**
   * Given a declared daily limit of 2 and a server that holds its answers for 3 s, when the second
   * request is handed out the project's keys are parked: the listeners hear of it while both
   * answers are still held (the server has answered nothing), not when the first answer comes back.
   */
  @Test
  void dailyLimitReachedWhileHandingOutReachesListenersBeforeAnyAnswer_issue15() {
    // 3 never arrive at once (the limit lets only 2 out), so each answer waits the full 3 s.
    try (Simulator sim = Simulator.builder().holdAnswersUntil(3, Duration.ofSeconds(3)).start()) {
      List<RotatorEvent> before = new CopyOnWriteArrayList<>();
      AtomicInteger answeredWhenParked = new AtomicInteger(-1);
      Rotator r =
          Rotator.keys("day-key-0001")
              .slots(2)
              .limits(Limits.rpm(6000).rpd(2))
              .baseUrl(sim.baseUrl())
              .onEvent(
                  e -> {
                    if (e instanceof RotatorEvent.KeyParked && answeredWhenParked.get() < 0)
                      answeredWhenParked.set(sim.requests().size());
                    if (answeredWhenParked.get() < 0) before.add(e);
                  });
      Table t = r.run(QuotaTest.prompts("daily", 3));

      assertEquals(
          0,
          answeredWhenParked.get(),
          "the key was parked on hand-out, but listeners heard of it only after an answer");
      assertTrue(before.isEmpty(), "events published before the parking: " + before);
      assertEquals(2, sim.requests().size());
      assertEquals(2, t.booleanColumn("success").countTrue());
      assertEquals(1, t.stringColumn("error_type").isEqualTo("no_usable_keys").size());
    }
  }
}
