package dev.gkr;

import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * What a batch will take before a request is spent: the rate the slots and the declared {@link Limits} allow,
 * the wall time, the days a daily limit stretches it over, and a token estimate. From {@link Rotator#plan}.
 *
 * @param requestsPerMinute the sustainable rate: the lowest of what the slots' pacing, the projects' request limits
 *     and their token limits (at the tasks' average estimated size) allow
 *     (empty when neither bounds it: then latency and the API decide)
 * @param requestsPerDay what the projects' daily limits allow in one day (empty when unlimited)
 * @param estimatedPromptTokens about four characters a token, plus the system instruction for every task
 */
public record Plan(int tasks, int keys, int projects, int slots, Optional<Double> requestsPerMinute,
    Optional<Integer> requestsPerDay, Optional<Duration> wallTime, int days, long estimatedPromptTokens) {

  static Plan of(Settings s, java.util.List<Task> tasks) {
    int projects = (int) s.projectOfKey().stream().distinct().count();
    int slots = s.slotCount();
    Double bySlots = s.every().isZero() ? null : slots * 60.0 / (s.every().toNanos() / 1e9);
    Limits l = s.limits().orElse(null);
    Double byLimits = l == null || l.requests() == 0 ? null : projects * l.requests() * Limits.HEADROOM * 60.0 / (l.window().toNanos() / 1e9);
    long chars0 = 0;
    for (Task t : tasks) chars0 += t.prompt().length() + s.systemInstruction().map(String::length).orElse(0);
    double tokensPerTask = Math.max(1, chars0 / 4.0 / Math.max(1, tasks.size()));
    Double byTokens = l == null || l.tokensPerWindow() == 0 ? null
        : projects * l.tokensPerWindow() * Limits.HEADROOM / tokensPerTask * 60.0 / (l.window().toNanos() / 1e9);
    Double bound = byLimits == null ? byTokens : byTokens == null ? byLimits : Math.min(byLimits, byTokens);
    Optional<Double> rate = Optional.ofNullable(bySlots == null ? bound : bound == null ? bySlots : Math.min(bySlots, bound));
    Optional<Integer> perDay = l == null || l.requestsPerDay() == 0 ? Optional.empty() : Optional.of(projects * l.requestsPerDay());
    int days = perDay.map(d -> (int) Math.ceil(tasks.size() / (double) d)).orElse(1);
    Optional<Duration> wall = rate.map(r -> {
      long perDayTasks = perDay.map(d -> (long) d).orElse((long) tasks.size());
      long todays = Math.min(tasks.size(), perDayTasks);
      return Duration.ofMillis((long) (todays / r * 60_000));
    });
    long chars = 0;
    int system = s.systemInstruction().map(String::length).orElse(0);
    for (Task t : tasks) chars += t.prompt().length() + system;
    return new Plan(tasks.size(), s.keys().size(), projects, slots, rate, perDay, wall, Math.max(1, days), (chars + 3) / 4);
  }

  /** For people: one line per figure. */
  public String print() {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "%,d tasks over %d keys in %d project(s), %d slots%n", tasks, keys, projects, slots));
    sb.append("rate:      ").append(requestsPerMinute.map(r -> String.format(Locale.ROOT, "%.1f requests/minute", r))
        .orElse("not bounded by pacing or limits (latency and the API decide)")).append('\n');
    sb.append("per day:   ").append(requestsPerDay.map(d -> String.format(Locale.ROOT, "%,d requests", d)).orElse("no daily limit declared")).append('\n');
    sb.append("wall time: ").append(wallTime.map(Durations::format).orElse("unknown")).append(days > 1 ? " on each of " + days + " days (daily limit)" : "").append('\n');
    sb.append(String.format(Locale.ROOT, "tokens:    about %,d prompt tokens%n", estimatedPromptTokens));
    return sb.toString();
  }
}
