package dev.gkr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gkr.sim.Simulator;
import dev.gkr.sim.Storm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

/**
 * Issue 17: every throttling signal Gemini sends, and calm under storms. Storms are scheduled on the simulator's
 * clock, which is the engine's fake clock here, so a two-minute storm passes in a moment of real time.
 */
class ThrottlingTest {
  @TempDir Path dir;

  /** Three projects of two keys each; every key belongs to a project. */
  private static final List<String> KEYS = List.of("thr-key-a1", "thr-key-a2", "thr-key-b1", "thr-key-b2", "thr-key-c1", "thr-key-c2");

  private static Rotator threeProjects(Simulator sim, FakeClock clock) {
    return Rotator.keys(KEYS).project("pa", KEYS.get(0), KEYS.get(1)).project("pb", KEYS.get(2), KEYS.get(3))
        .project("pc", KEYS.get(4), KEYS.get(5)).slots(2).baseUrl(sim.baseUrl()).clock(clock);
  }

  private static Simulator.Builder stormy(FakeClock clock, Storm storm) {
    return Simulator.builder().clock(clock::nanoTime).storm(storm)
        .project("pa", dev.gkr.sim.Quota.unlimited(), KEYS.get(0), KEYS.get(1))
        .project("pb", dev.gkr.sim.Quota.unlimited(), KEYS.get(2), KEYS.get(3))
        .project("pc", dev.gkr.sim.Quota.unlimited(), KEYS.get(4), KEYS.get(5));
  }

  private static List<String> prompts(String p, int n) {
    return IntStream.range(0, n).mapToObj(i -> p + " " + i).toList();
  }

  private static long answered(Simulator sim, int status) {
    return sim.requests().stream().filter(q -> q.status() == status).count();
  }

  private static void assertNoKeyLost(Rotator r) {
    for (RunStats.KeyStats k : r.stats().keys()) {
      assertTrue(k.state().equals("active") || k.state().equals("cooling"), k.key() + " is " + k.state());
    }
  }

  @Test
  void twoMinuteOverloadStormEndsWithEveryTaskSucceededAndNoKeyLost_issue17() {
    FakeClock clock = new FakeClock();
    Storm storm = Storm.of(Storm.Kind.OVERLOADED, Duration.ZERO, Duration.ofMinutes(2));
    long withThrottle;
    try (Simulator sim = stormy(clock, storm).start()) {
      long start = clock.nanoTime();
      Rotator r = threeProjects(sim, clock);
      Table t = r.run(prompts("overload", 60));
      assertEquals(60, t.booleanColumn("success").countTrue(), t.where(t.booleanColumn("success").isFalse()).print());
      assertNoKeyLost(r);
      assertTrue(clock.nanoTime() - start >= Duration.ofMinutes(2).toNanos(), "the run cannot end before the storm does");
      RunStats.Slowdown sd = r.stats().slowdown();
      assertTrue(sd.episodes() >= 1 && sd.throttledFor().compareTo(Duration.ofSeconds(90)) >= 0, sd.toString());
      assertEquals("503 storm", sd.cause());
      assertTrue(r.stats().print().contains("slowed down: throttled"), r.stats().print());
      withThrottle = answered(sim, 503);
    }
    FakeClock naiveClock = new FakeClock();
    try (Simulator sim = stormy(naiveClock, storm).start()) {
      Rotator naive = threeProjects(sim, naiveClock).runThrottle(false);
      Table t = naive.run(prompts("overload", 60));
      assertEquals(60, t.booleanColumn("success").countTrue());
      long perTask = answered(sim, 503);
      assertTrue(withThrottle * 5 < perTask, "run-wide throttle sent " + withThrottle + " requests into the storm, per-task backoff " + perTask);
    }
  }
}
