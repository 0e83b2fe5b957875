package dev.gkr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gkr.internal.engine.Timeline;
import dev.gkr.sim.KeyBehavior;
import dev.gkr.sim.SimRequest;
import dev.gkr.sim.Simulator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

/** A server's RetryInfo delay in real time, and the growth of transient backoff in fake time. */
class CooldownAndBackoffTest {

  /**
   * Real clock, lower bound only, so a busy machine cannot break it: the key cools from the moment
   * gkr reads the 429, which is after the server stamped its arrival, and the next request is
   * stamped after it starts, so the gap between the two arrivals is at least the delay with no
   * tolerance needed (both stamps are {@code System.nanoTime()} in this JVM). The upper bound only
   * catches a cooldown that never ends or is several times too long; 8.5 s of slack is far beyond
   * what a loaded machine adds to one local request.
   */
  @Test
  void keyIsNotUsedAgainBeforeTheServersRetryDelayInRealTime() {
    Duration delay =
        Duration.ofMillis(1500); // not 1 s: without RetryInfo gkr would back off 0.8-1.2 s
    try (Simulator sim =
        Simulator.builder().key("cool-real-key1", KeyBehavior.rateLimitedFirst(1, delay)).start()) {
      List<RotatorEvent> events = new CopyOnWriteArrayList<>();
      Table t =
          Rotator.keys("cool-real-key1")
              .baseUrl(sim.baseUrl())
              .onEvent(events::add)
              .run(List.of("wait for me"));
      assertTrue(t.booleanColumn("success").get(0), t.print());
      List<SimRequest> requests = sim.requests();
      assertEquals(List.of(429, 200), requests.stream().map(SimRequest::status).toList());
      long gap = requests.get(1).nanos() - requests.get(0).nanos();
      assertTrue(
          gap >= delay.toNanos(),
          "the key was used again "
              + gap / 1e6
              + " ms after a 429 asking for "
              + delay.toMillis()
              + " ms");
      assertTrue(
          gap < Duration.ofSeconds(10).toNanos(), "the key stayed cold for " + gap / 1e6 + " ms");
      assertTrue(
          events.stream()
              .anyMatch(e -> e instanceof RotatorEvent.KeyCooled c && c.delay().equals(delay)),
          events.toString());
    }
  }

  /**
   * Fake clock: one slot, one task, so virtual time moves only by the waits between its attempts,
   * and each gap between two starts is exactly the backoff before that retry. Each wait must be
   * longer than the one before.
   */
  @Test
  void transientBackoffGrowsWithEachFailure() {
    FakeClock clock = new FakeClock();
    try (Simulator sim = Simulator.builder().start()) {
      Rotator r =
          Rotator.keys("backoff-key1")
              .baseUrl(sim.baseUrl())
              .retries(Retries.builder().transientRetries(5).build())
              .clock(clock);
      Table t = r.run(List.of("overloaded four times [[sim:503x4]]"));
      assertTrue(t.booleanColumn("success").get(0), t.print());
      List<Timeline.Entry> attempts = new ArrayList<>(r.timelineEntries());
      attempts.sort(Comparator.comparingLong(Timeline.Entry::startSeq));
      assertEquals(5, attempts.size(), "four 503s then the answer");
      List<Long> waits = new ArrayList<>();
      for (int i = 1; i < attempts.size(); i++)
        waits.add(attempts.get(i).startNanos() - attempts.get(i - 1).startNanos());
      for (int i = 1; i < waits.size(); i++) {
        assertTrue(waits.get(i) > waits.get(i - 1), "backoff did not grow: " + millis(waits));
      }
      assertTrue(waits.get(0) > 0, "no backoff before the first retry: " + millis(waits));
      assertTrue(
          waits.get(3) >= 2 * waits.get(0),
          "backoff barely grew over four failures: " + millis(waits));
    }
  }

  private static List<Long> millis(List<Long> nanos) {
    return nanos.stream().map(n -> n / 1_000_000).toList();
  }
}
