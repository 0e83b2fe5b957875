package dev.gkr;

import dev.gkr.sim.Quota;
import dev.gkr.sim.Simulator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tech.tablesaw.api.Table;

/**
 * A plan checked by running it: the batch against the simulator with the declared limits as the projects'
 * quotas, in compressed time. {@code replayedWallTime} is the measured time (first request start to last
 * answer, after a warm-up) scaled back up.
 *
 * @param refused requests the simulator's quotas refused (0 when the pacing honours the declared limits)
 * @param finishedFirstDay tasks done before the daily limits stopped the replay (all of them without such limits)
 */
public record PlanReplay(Plan plan, int speedup, Duration replayedWallTime, long refused, int finishedFirstDay) {

  static PlanReplay run(Rotator original, Settings s, List<Task> tasks, int speedup) {
    Plan plan = Plan.of(s, tasks);
    if (plan.requestsPerMinute().isEmpty()) {
      // Compression scales pacing and quota windows, not the simulator's latency: unpaced, it would only multiply that.
      throw new IllegalArgumentException("a replay needs pacing to compress: set every (--every) or declare limits (--rpm/--tpm);"
          + " with neither, the rate is the answers' latency, which no replay can tell");
    }
    Simulator.Builder sim = Simulator.builder().keepLog(true);
    Limits l = s.limits().orElse(null);
    Map<String, List<String>> projects = new LinkedHashMap<>();
    for (int i = 0; i < s.keys().size(); i++) {
      projects.computeIfAbsent(s.projectOfKey().get(i), p -> new ArrayList<>()).add(s.keys().get(i).secret());
    }
    if (l != null) {
      Duration window = l.window().dividedBy(speedup);
      projects.forEach((name, keys) -> sim.project(name, new Quota(l.requests(), window, l.requestsPerDay(), l.tokensPerWindow()),
          keys.toArray(String[]::new)));
    }
    try (Simulator server = sim.start()) {
      // A cold JVM's first requests cost a second or more, which compression would multiply: warm up first,
      // on a key outside every project, and measure the batch itself, first start to last answer.
      Rotator.keys("plan-replay-warm-up-key").slots(4).baseUrl(server.baseUrl())
          .run(java.util.stream.IntStream.range(0, 200).mapToObj(i -> "warm up " + i).toList());
      int before = server.requests().size();
      Rotator r = original.compressedCopy(speedup, server.baseUrl());
      Table results = r.run(tasks);
      List<Timeline.Entry> entries = r.timelineEntries();
      long first = entries.stream().mapToLong(Timeline.Entry::startNanos).min().orElse(0);
      long last = entries.stream().mapToLong(e -> e.startNanos() + e.latencyNanos()).max().orElse(0);
      Duration wall = Duration.ofNanos((last - first) * speedup);
      long refused = server.requests().subList(before, server.requests().size()).stream().filter(q -> q.status() == 429).count();
      return new PlanReplay(plan, speedup, wall, refused, results.booleanColumn("success").countTrue());
    }
  }

  /** The plan's estimate next to the replay's measurement. */
  public String print() {
    return plan.print() + String.format(Locale.ROOT, "replay:    %s measured (time compressed %dx), %,d of %,d tasks done on day 1, %d requests refused%n",
        Durations.format(replayedWallTime), speedup, finishedFirstDay, plan.tasks(), refused);
  }
}
