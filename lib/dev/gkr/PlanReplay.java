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
 * quotas, in compressed time. {@code replayedWallTime} is the measured time scaled back up.
 *
 * @param refused requests the simulator's quotas refused (0 when the pacing honours the declared limits)
 * @param finishedFirstDay tasks done before the daily limits stopped the replay (all of them without such limits)
 */
public record PlanReplay(Plan plan, int speedup, Duration replayedWallTime, long refused, int finishedFirstDay) {

  static PlanReplay run(Rotator original, Settings s, List<Task> tasks, int speedup) {
    Plan plan = Plan.of(s, tasks);
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
      Rotator r = original.compressedCopy(speedup, server.baseUrl());
      long t0 = System.nanoTime();
      Table results = r.run(tasks);
      Duration wall = Duration.ofNanos((System.nanoTime() - t0) * speedup);
      long refused = server.requests().stream().filter(q -> q.status() == 429).count();
      return new PlanReplay(plan, speedup, wall, refused, results.booleanColumn("success").countTrue());
    }
  }

  /** The plan's estimate next to the replay's measurement. */
  public String print() {
    return plan.print() + String.format(Locale.ROOT, "replay:    %s measured (time compressed %dx), %,d of %,d tasks done on day 1, %d requests refused%n",
        Durations.format(replayedWallTime), speedup, finishedFirstDay, plan.tasks(), refused);
  }
}
