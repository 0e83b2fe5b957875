package dev.gkr;

import dev.gkr.sim.Quota;
import dev.gkr.sim.SimRequest;
import dev.gkr.sim.Simulator;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import tech.tablesaw.api.Table;

/**
 * Part 11 of {@code scripts/bench} ({@code embed}): texts embedded per second against the declared
 * per-text quota, which the simulator enforces in the same run (every text of a batchEmbedContents
 * call counts at the call's arrival). The judge is the simulator's own log: 429s, and the most
 * texts any sliding window of the declared length held.
 */
final class EmbedBench {
  private EmbedBench() {}

  static void run() {
    // a window long against the call time, as Gemini's minute windows are: the paced count binds
    pacing(
        "12a embed pacing, 1,000 texts / 5 s, latency 50 ms",
        1000,
        Duration.ofSeconds(5),
        50,
        6000);
    // the first measurement's setup: a window only ~7 calls long, where a pack's answer time counts
    pacing("12b embed pacing, 50 texts / 500 ms, latency 0", 50, Duration.ofMillis(500), 0, 1000);
  }

  static void pacing(String part, int limit, Duration window, int latencyMs, int n) {
    double ceiling = limit / (window.toNanos() / 1e9);
    List<String> keys = List.of("bench-embed-0001", "bench-embed-0002");
    try (Simulator sim =
        Simulator.builder()
            .project("p", Quota.per(limit, window), keys.toArray(String[]::new))
            .latency(Duration.ofMillis(latencyMs), Duration.ofMillis(latencyMs / 5))
            .start()) {
      List<String> texts =
          IntStream.range(0, n).mapToObj(i -> "a chunk of a document, number " + i).toList();
      Table t =
          Rotator.keys(keys)
              .project("p", keys.toArray(String[]::new))
              .limits(Limits.per(limit, window))
              .slots(4)
              .baseUrl(sim.baseUrl())
              .embed(texts, Embedding.DEFAULT.dimensions(8));
      List<SimRequest> log = sim.requests();
      long refused = log.stream().filter(r -> r.status() == 429).count();
      List<Long> arrivals =
          log.stream().filter(r -> r.status() == 200).map(SimRequest::nanos).sorted().toList();
      TreeMap<Long, Long> calls =
          arrivals.stream()
              .collect(Collectors.groupingBy(a -> a, TreeMap::new, Collectors.counting()));
      Map.Entry<Long, Long> last = calls.lastEntry();
      double seconds = (last.getKey() - calls.firstKey()) / 1e9;
      double rate = (arrivals.size() - last.getValue()) / seconds;
      int most = 0;
      for (int i = 0, j = 0; j < arrivals.size(); j++) {
        while (arrivals.get(j) - arrivals.get(i) >= window.toNanos()) i++;
        most = Math.max(most, j - i + 1);
      }
      String ceil = Bench.fmt(ceiling) + " (declared, enforced by the simulator)";
      Bench.result(part, "gkr texts/s", rate, ceil, rate / ceiling);
      Bench.result(part, "429s from the simulator", refused, "0 (target)", Double.NaN);
      Bench.result(
          part,
          "most texts in one window at the simulator",
          most,
          limit + " (limit)",
          most / (double) limit);
      Bench.result(
          part,
          "texts embedded",
          t.booleanColumn("success").countTrue(),
          n + " texts",
          t.booleanColumn("success").countTrue() / (double) n);
    }
  }
}
