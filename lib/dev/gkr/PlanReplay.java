package dev.gkr;

import dev.gkr.internal.common.Durations;
import dev.gkr.internal.config.Settings;
import dev.gkr.internal.engine.Timeline;
import dev.gkr.internal.run.Run;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import tech.tablesaw.api.Table;

/**
 * A plan checked by running it: the batch against a {@link ReplayServer} (the simulator) with the
 * declared limits as the projects' quotas, in compressed time. {@code replayedWallTime} is the
 * measured time (first request start to last answer, after a warm-up) scaled back up.
 *
 * @param refused requests the simulator's quotas refused (0 when the pacing honours the declared
 *     limits)
 * @param finishedFirstDay tasks done before the daily limits stopped the replay (all of them
 *     without such limits)
 */
public record PlanReplay(
    Plan plan, int speedup, Duration replayedWallTime, long refused, int finishedFirstDay) {

  static PlanReplay run(
      Plan plan, Settings s, List<Task> tasks, int speedup, ReplayServer.Factory servers) {
    if (plan.requestsPerMinute().isEmpty()) {
      // Compression scales pacing and quota windows, not the simulator's latency: unpaced, it would
      // only multiply that.
      throw new IllegalArgumentException(
          "a replay needs pacing to compress: set every(...) or declare limits(...);"
              + " with neither, the rate is the answers' latency, which no replay can tell");
    }
    Map<String, List<String>> keysOf = new LinkedHashMap<>();
    for (int i = 0; i < s.keys().size(); i++) {
      keysOf
          .computeIfAbsent(s.projectOfKey().get(i), p -> new ArrayList<>())
          .add(s.keys().get(i).secret());
    }
    Settings compressed = s.compressed(speedup, "");
    List<ReplayServer.Project> projects = new ArrayList<>();
    // The replay asks the run's model: its projects' quotas are that model's declared limits.
    Optional<Limits> quota = compressed.limits().map(l -> l.of(s.model()));
    keysOf.forEach((name, keys) -> projects.add(new ReplayServer.Project(name, keys, quota)));
    try (ReplayServer server = servers.start(projects)) {
      // A cold JVM's first requests cost a second or more, which compression would multiply: warm
      // up first,
      // on a key outside every project, and measure the batch itself, first start to last answer.
      Rotator.keys("plan-replay-warm-up-key")
          .slots(4)
          .baseUrl(server.baseUrl())
          .run(java.util.stream.IntStream.range(0, 200).mapToObj(i -> "warm up " + i).toList());
      long refusedBefore = server.refused();
      Run run = new Run(s.compressed(speedup, server.baseUrl()));
      Table results = run.run(tasks);
      List<Timeline.Entry> entries = run.timeline();
      long first = entries.stream().mapToLong(Timeline.Entry::startNanos).min().orElse(0);
      long last =
          entries.stream().mapToLong(e -> e.startNanos() + e.latencyNanos()).max().orElse(0);
      Duration wall = Duration.ofNanos((last - first) * speedup);
      return new PlanReplay(
          plan,
          speedup,
          wall,
          server.refused() - refusedBefore,
          results.booleanColumn("success").countTrue());
    }
  }

  /** The plan's estimate next to the replay's measurement. */
  public String print() {
    return plan.print()
        + String.format(
            Locale.ROOT,
            "replay:    %s measured (time compressed %dx), %,d of %,d tasks done on day 1, %d requests refused%n",
            Durations.format(replayedWallTime),
            speedup,
            finishedFirstDay,
            plan.tasks(),
            refused);
  }
}
