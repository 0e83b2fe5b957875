package dev.gkr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.gkr.internal.engine.Timeline;
import dev.gkr.sim.KeyBehavior;
import dev.gkr.sim.Simulator;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

class TimelinesTest {

  static Table timeline(double[] starts, double[] latencies, String[] outcomes) {
    Table t =
        Timeline.table(
            IntStream.range(0, starts.length)
                .mapToObj(
                    i ->
                        new Timeline.Entry(
                            1,
                            "key-1…",
                            "t" + i,
                            (long) (starts[i] * 1e9),
                            (long) (latencies[i] * 1e6),
                            outcomes[i],
                            2L * i,
                            2L * i + 1))
                .toList());
    return t;
  }

  @Test
  void throughputCountsRequestsPerBucketIncludingEmptyOnes() {
    Table t =
        timeline(
            new double[] {0.1, 0.2, 0.9, 2.5},
            new double[] {10, 10, 10, 10},
            new String[] {"ok", "rate_limited", "ok", "server_error"});
    Table tp = Timelines.throughput(t, Duration.ofSeconds(1));
    assertEquals(List.of(0.0, 1.0, 2.0), tp.doubleColumn("t_s").asList());
    assertEquals(List.of(3, 0, 1), tp.intColumn("requests").asList());
    assertEquals(List.of(2, 0, 0), tp.intColumn("ok").asList());
    assertEquals(List.of(1, 0, 0), tp.intColumn("rate_limited").asList());
    assertEquals(List.of(0, 0, 1), tp.intColumn("other_errors").asList());
    assertEquals(
        List.of(4.0, 2.0, 0.0, 0.0, 0.0, 2.0),
        Timelines.throughput(t, Duration.ofMillis(500)).doubleColumn("req_per_s").asList());
  }

  @Test
  void latencyHistogramBinsOnlySuccesses() {
    Table t =
        timeline(
            new double[] {0, 0, 0, 0, 0},
            new double[] {100, 110, 190, 200, 5000},
            new String[] {"ok", "ok", "ok", "ok", "timeout"});
    Table h = Timelines.latencyHistogram(t, 2);
    assertEquals(List.of(100.0, 150.0), h.doubleColumn("from_ms").asList());
    assertEquals(List.of(2, 2), h.intColumn("count").asList());
  }

  @Test
  void rejectsTablesThatAreNotTimelines() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Timelines.throughput(Table.create("x"), Duration.ofSeconds(1)));
    assertEquals("not a timeline table: no 'start_s' column", e.getMessage());
  }

  @Test
  void aRealRunsTimelineHasOneRowPerRequestWithItsOutcome() {
    try (Simulator sim =
        Simulator.builder()
            .key("tl-limited", KeyBehavior.rateLimitedFirst(2, Duration.ofMillis(50)))
            .start()) {
      Rotator r = Rotator.keys("tl-limited", "tl-healthy").baseUrl(sim.baseUrl());
      r.run(List.of("a", "b", "c", "d", "e", "f"));
      Table tl = r.stats().timeline();
      assertEquals(sim.requests().size(), tl.rowCount());
      assertEquals(
          sim.requests().stream().filter(q -> q.outcome().equals("rate_limited")).count(),
          tl.stringColumn("outcome").isEqualTo("rate_limited").size());
      assertEquals(
          tl.rowCount(),
          Timelines.throughput(tl, Duration.ofSeconds(1)).intColumn("requests").sum());
    }
  }
}
