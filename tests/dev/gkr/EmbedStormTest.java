package dev.gkr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gkr.sim.Quota;
import dev.gkr.sim.SimRequest;
import dev.gkr.sim.Simulator;
import dev.gkr.sim.Storm;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

/**
 * Issue 29: an embedding run meets a storm as a generation run does, with the run-wide throttle
 * (one probe at a time, a shared growing backoff) instead of every pack backing off alone. The
 * simulator's storm runs on the engine's clock, compressed real time (60x): a two-minute storm
 * takes two seconds.
 */
class EmbedStormTest {
  private static final List<String> KEYS = ThrottlingTest.KEYS;

  private static Simulator stormy(ScaledClock clock) {
    return Simulator.builder()
        .clock(clock::nanoTime)
        .storm(
            Storm.of(Storm.Kind.OVERLOADED, Duration.ZERO, Duration.ofMinutes(2))
                .countedFromFirstRequest())
        .project("pa", Quota.unlimited(), KEYS.get(0), KEYS.get(1))
        .project("pb", Quota.unlimited(), KEYS.get(2), KEYS.get(3))
        .project("pc", Quota.unlimited(), KEYS.get(4), KEYS.get(5))
        .start();
  }

  /** Calls (not texts: the simulator logs each text of a call) answered with 503. */
  private static long callsInto503(Simulator sim) {
    Map<String, Long> calls =
        sim.requests().stream()
            .filter(r -> r.status() == 503)
            .collect(Collectors.groupingBy(r -> r.key() + "@" + r.nanos(), Collectors.counting()));
    return calls.size();
  }

  /** Each text answered 200 exactly once at the simulator. */
  private static void assertEachTextEmbeddedOnce(Simulator sim, int n) {
    Map<String, Long> ok =
        sim.requests().stream()
            .filter(r -> r.status() == 200)
            .collect(Collectors.groupingBy(SimRequest::prompt, Collectors.counting()));
    assertEquals(n, ok.size());
    assertTrue(ok.values().stream().allMatch(c -> c == 1), "a text embedded twice: " + ok);
  }

  @Test
  void aTwoMinute503StormCostsAFewProbesAndEveryTextIsEmbeddedOnceIssue29() {
    List<String> texts = EmbedTest.texts("storm", 3000); // 30 packs of 100
    long withThrottle;
    ScaledClock clock = new ScaledClock(60);
    try (Simulator sim = stormy(clock)) {
      long start = clock.nanoTime();
      Rotator r = ThrottlingTest.threeProjects(sim, clock);
      List<String> lines = new CopyOnWriteArrayList<>();
      AtomicInteger probes = new AtomicInteger(-1); // failed calls heard once the storm is met
      r.onEvent( // what gkr embed's status line shows when the storm begins
          e -> {
            if (e instanceof RotatorEvent.Notice n && n.message().startsWith("run throttled")) {
              probes.compareAndSet(-1, 0);
              lines.add(r.stats().statusLine());
            } else if (e instanceof RotatorEvent.AttemptFailed && probes.get() >= 0)
              probes.incrementAndGet();
          });
      Table t = r.embed(texts, Embedding.DEFAULT.dimensions(8));
      assertEquals(
          3000,
          t.booleanColumn("success").countTrue(),
          t.where(t.booleanColumn("success").isFalse()).first(3).print());
      assertTrue(
          clock.nanoTime() - start >= Duration.ofMinutes(2).toNanos(),
          "the run cannot end before the storm does");
      assertEachTextEmbeddedOnce(sim, 3000);
      withThrottle = callsInto503(sim);
      // once the storm is met: the calls then in flight (at most 11 of the 12 slots), then one
      // probe per backoff (1 s doubling to 30 s, jittered: about 9 in two minutes)
      assertTrue(probes.get() >= 1 && probes.get() < 25, "failed calls in the storm: " + probes);
      assertTrue(withThrottle < 40, "calls sent into the storm: " + withThrottle);
      assertEquals(1, lines.size(), "one storm: " + lines);
      assertTrue(lines.get(0).contains("| throttled: 503 storm since"), lines.get(0));
      assertTrue(
          lines.get(0).matches("active \\d+/12 \\| queued \\d+ \\| done 0 .*"), lines.get(0));
      Slowdown sd = r.stats().slowdown();
      assertEquals("503 storm", sd.cause());
      assertTrue(sd.throttledFor().compareTo(Duration.ofSeconds(90)) >= 0, sd.toString());
      for (KeyStats k : r.stats().keys())
        assertEquals(KeyStatus.ACTIVE, k.state(), k.key() + " lost to the storm");
    }
    // the same run without the throttle: every pack backs off alone, sends more into the storm,
    // and packs whose retries run out before the storm ends leave their texts failed
    ScaledClock naiveClock = new ScaledClock(60);
    try (Simulator sim = stormy(naiveClock)) {
      Table naive =
          ThrottlingTest.threeProjects(sim, naiveClock)
              .runThrottle(false)
              .embed(texts, Embedding.DEFAULT.dimensions(8));
      long perPack = callsInto503(sim);
      assertTrue(naive.booleanColumn("success").countTrue() < 3000, "per-pack backoff lost none");
      assertTrue(
          withThrottle * 2 < perPack,
          "run-wide throttle sent " + withThrottle + " calls into the storm, per-pack " + perPack);
    }
  }
}
