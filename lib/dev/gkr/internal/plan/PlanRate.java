package dev.gkr.internal.plan;

import dev.gkr.Limits;
import dev.gkr.Task;
import dev.gkr.internal.common.Tokens;
import dev.gkr.internal.config.Settings;
import dev.gkr.internal.keys.Pacing;
import dev.gkr.internal.request.TaskRequests;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How fast a batch can go: the lowest of what the slots' pacing, the projects' request limits and
 * their token limits (at the tasks' average estimated size) allow, what the daily limits allow, and
 * the wall time and days that follow.
 *
 * @param bySlots the slots' pacing alone; empty when {@code every} is 0
 * @param perMinute the sustainable rate; empty when neither pacing nor limits bound it
 * @param perDay what the daily limits allow in one day; empty when unlimited
 * @param wallTime the first day's wall time; empty when the rate is unknown
 * @param days days a daily limit stretches the batch over (1 without one)
 * @param promptTokens input tokens of all tasks, estimated as the pacing does
 */
public record PlanRate(
    int projects,
    int slots,
    Optional<Double> bySlots,
    Optional<Double> perMinute,
    Optional<Integer> perDay,
    Optional<Duration> wallTime,
    int days,
    long promptTokens) {

  public static PlanRate of(Settings s, List<Task> tasks) {
    return of(s, tasks, true);
  }

  /**
   * {@code paced}: whether the slots' pacing ({@code every}) bounds the rate; an embedding run
   * packs texts and paces by the limits alone, so its plan leaves it out.
   */
  public static PlanRate of(Settings s, List<Task> tasks, boolean paced) {
    int projects = (int) s.projectOfKey().stream().distinct().count();
    int slots = s.slotCount();
    Limits l = s.limits().map(all -> all.of(s.model())).orElse(null); // the first model's quota
    String system = s.systemInstruction().orElse("");
    long tokens = 0;
    long context = TaskRequests.contextTokens(s); // the shared files, in every request
    for (Task t : tasks) tokens += Tokens.estimate(t.prompt(), system) + context;
    double tokensPerTask = Math.max(1, tokens / (double) Math.max(1, tasks.size()));
    Optional<Double> bySlots =
        !paced || s.every().isZero()
            ? Optional.<Double>empty()
            : Optional.of(slots * 60.0 / seconds(s.every()));
    Optional<Double> byRequests =
        l == null || l.requests() == 0
            ? Optional.empty()
            : Optional.of(projects * l.requests() * Pacing.HEADROOM * 60.0 / seconds(l.window()));
    Optional<Double> byTokens =
        l == null || l.tokensPerWindow() == 0
            ? Optional.empty()
            : Optional.of(
                projects
                    * l.tokensPerWindow()
                    * Pacing.HEADROOM
                    / tokensPerTask
                    * 60.0
                    / seconds(l.window()));
    Optional<Double> rate = lowest(lowest(bySlots, byRequests), byTokens);
    Optional<Integer> perDay =
        l == null || l.requestsPerDay() == 0
            ? Optional.empty()
            : Optional.of(projects * l.requestsPerDay());
    int days = perDay.map(d -> (int) Math.ceil(tasks.size() / (double) d)).orElse(1);
    long todays = Math.min(tasks.size(), perDay.map(d -> (long) d).orElse((long) tasks.size()));
    Optional<Duration> wall = rate.map(r -> Duration.ofMillis((long) (todays / r * 60_000)));
    return new PlanRate(projects, slots, bySlots, rate, perDay, wall, Math.max(1, days), tokens);
  }

  private static double seconds(Duration d) {
    return d.toNanos() / 1e9;
  }

  private static Optional<Double> lowest(Optional<Double> a, Optional<Double> b) {
    if (a.isEmpty()) return b;
    if (b.isEmpty()) return a;
    return Optional.of(Math.min(a.get(), b.get()));
  }
}
