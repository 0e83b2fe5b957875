package dev.gkr;

import dev.gkr.internal.common.Tokens;
import dev.gkr.internal.config.Settings;
import dev.gkr.internal.cost.PriceTier;
import dev.gkr.internal.cost.Prices;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What a batch will take before a request is spent: the rate the slots and the declared {@link
 * Limits} allow, the wall time, the days a daily limit stretches it over, and a token estimate.
 * From {@link Rotator#plan}. Immutable; a class rather than a record, so that it can gain a figure
 * without breaking its callers.
 */
public final class Plan {
  private final int tasks;
  private final int keys;
  private final int projects;
  private final int slots;
  private final Optional<Double> requestsPerMinute;
  private final Optional<Integer> requestsPerDay;
  private final Optional<Duration> wallTime;
  private final int days;
  private final long estimatedPromptTokens;
  private final List<String> assumptions;
  private final double estimatedCostUsd;

  /**
   * Output tokens per task (answer and thinking) the cost estimate assumes when neither
   * expectedOutputTokens nor maxOutputTokens is set.
   */
  static final int DEFAULT_OUTPUT_TOKENS = 1000;

  private Plan(
      int tasks,
      int keys,
      int projects,
      int slots,
      Optional<Double> requestsPerMinute,
      Optional<Integer> requestsPerDay,
      Optional<Duration> wallTime,
      int days,
      long estimatedPromptTokens,
      List<String> assumptions,
      double estimatedCostUsd) {
    this.tasks = tasks;
    this.keys = keys;
    this.projects = projects;
    this.slots = slots;
    this.requestsPerMinute = requestsPerMinute;
    this.requestsPerDay = requestsPerDay;
    this.wallTime = wallTime;
    this.days = days;
    this.estimatedPromptTokens = estimatedPromptTokens;
    this.assumptions = List.copyOf(assumptions);
    this.estimatedCostUsd = estimatedCostUsd;
  }

  public int tasks() {
    return tasks;
  }

  public int keys() {
    return keys;
  }

  public int projects() {
    return projects;
  }

  public int slots() {
    return slots;
  }

  /**
   * The sustainable rate: the lowest of what the slots' pacing, the projects' request limits and
   * their token limits (at the tasks' average estimated size) allow; empty when neither bounds it
   * (then latency and the API decide).
   */
  public Optional<Double> requestsPerMinute() {
    return requestsPerMinute;
  }

  /** What the projects' daily limits allow in one day (empty when unlimited). */
  public Optional<Integer> requestsPerDay() {
    return requestsPerDay;
  }

  /** The first day's wall time (empty when the rate is unknown). */
  public Optional<Duration> wallTime() {
    return wallTime;
  }

  /** Days a daily limit stretches the batch over (1 without one). */
  public int days() {
    return days;
  }

  /**
   * Input tokens of all tasks, prompt and system instruction, estimated as the pacing does (about 4
   * bytes a token).
   */
  public long estimatedPromptTokens() {
    return estimatedPromptTokens;
  }

  /**
   * What the estimate took for granted, for people: where the rate comes from, and what was not
   * declared.
   */
  public List<String> assumptions() {
    return assumptions;
  }

  /**
   * The batch's price from the size estimate (input as counted above, plus an assumed number of
   * output tokens per task, thinking included) at the requested tier; NaN when the model has no
   * price.
   */
  public double estimatedCostUsd() {
    return estimatedCostUsd;
  }

  public static Plan of(Settings s, List<Task> tasks) {
    return of(s, tasks, 0);
  }

  /**
   * {@code expectedOutputTokens} 0: maxOutputTokens when set, else {@link #DEFAULT_OUTPUT_TOKENS}.
   */
  public static Plan of(Settings s, List<Task> tasks, int expectedOutputTokens) {
    int projects = (int) s.projectOfKey().stream().distinct().count();
    int slots = s.slotCount();
    Limits l = s.limits().orElse(null);
    long tokens = 0;
    String system = s.systemInstruction().orElse("");
    for (Task t : tasks) tokens += Tokens.estimate(t.prompt(), system);
    double tokensPerTask = Math.max(1, tokens / (double) Math.max(1, tasks.size()));
    Optional<Double> bySlots =
        s.every().isZero() ? Optional.empty() : Optional.of(slots * 60.0 / seconds(s.every()));
    Optional<Double> byRequests =
        l == null || l.requests() == 0
            ? Optional.empty()
            : Optional.of(projects * l.requests() * Limits.HEADROOM * 60.0 / seconds(l.window()));
    Optional<Double> byTokens =
        l == null || l.tokensPerWindow() == 0
            ? Optional.empty()
            : Optional.of(
                projects
                    * l.tokensPerWindow()
                    * Limits.HEADROOM
                    / tokensPerTask
                    * 60.0
                    / seconds(l.window()));
    Optional<Double> rate = lowest(lowest(bySlots, byRequests), byTokens);
    Optional<Integer> perDay =
        l == null || l.requestsPerDay() == 0
            ? Optional.empty()
            : Optional.of(projects * l.requestsPerDay());
    int days = perDay.map(d -> (int) Math.ceil(tasks.size() / (double) d)).orElse(1);
    Optional<Duration> wall =
        rate.map(
            r -> {
              long todays =
                  Math.min(tasks.size(), perDay.map(d -> (long) d).orElse((long) tasks.size()));
              return Duration.ofMillis((long) (todays / r * 60_000));
            });
    List<String> assumed = new ArrayList<>();
    if (l == null)
      assumed.add(
          "no limits declared (--rpm/--tpm/--rpd, or limits(...)): the real quota may be lower");
    else assumed.add("each of the " + projects + " project(s) has the declared quota: " + l);
    if (bySlots.isPresent()) {
      assumed.add(
          String.format(
              Locale.ROOT,
              "%d slots each starting a request every %s (%.1f requests/minute), each answer back within that gap",
              slots,
              Durations.format(s.every()),
              bySlots.get()));
    } else if (rate.isEmpty()) {
      assumed.add(
          "every is 0: each slot starts its next request as soon as an answer is back, so the rate is "
              + slots
              + " slots / seconds per answer, unknown before the run; set --every (every(...)) or declare --rpm for an estimate");
    }
    int max = s.request().generationConfig().path("maxOutputTokens").asInt(0);
    int out =
        expectedOutputTokens > 0 ? expectedOutputTokens : max > 0 ? max : DEFAULT_OUTPUT_TOKENS;
    PriceTier tier = s.serviceTier().orElse(PriceTier.STANDARD);
    String sys = s.systemInstruction().orElse("");
    double cost = 0;
    for (Task t : tasks)
      cost +=
          s.prices()
              .cost(s.model(), new Prices.Usage(Tokens.estimate(t.prompt(), sys), 0, out, 0), tier);
    assumed.add(
        String.format(
            Locale.ROOT,
            "cost: %,d output tokens per task (answer and thinking; %s), %s prices of %s, no cached input, every task answered once",
            out,
            expectedOutputTokens > 0
                ? "as expected"
                : max > 0 ? "maxOutputTokens, the most" : "a default; set --expected-output-tokens",
            tier.code(),
            s.model()));
    if (s.maxCost().isPresent() && cost > 0) {
      long covered =
          Math.min(tasks.size(), (long) (s.maxCost().get() / (cost / Math.max(1, tasks.size()))));
      assumed.add(
          String.format(
              Locale.ROOT,
              "max cost %s covers about %,d of the %,d tasks at this estimate",
              Prices.format(s.maxCost().get()),
              covered,
              tasks.size()));
    }
    return new Plan(
        tasks.size(),
        s.keys().size(),
        projects,
        slots,
        rate,
        perDay,
        wall,
        Math.max(1, days),
        tokens,
        assumed,
        cost);
  }

  private static double seconds(Duration d) {
    return d.toNanos() / 1e9;
  }

  private static Optional<Double> lowest(Optional<Double> a, Optional<Double> b) {
    if (a.isEmpty()) return b;
    if (b.isEmpty()) return a;
    return Optional.of(Math.min(a.get(), b.get()));
  }

  /** For people: one line per figure. */
  public String print() {
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "%,d tasks over %d keys in %d project(s), %d slots%n",
            tasks,
            keys,
            projects,
            slots));
    sb.append("rate:      ")
        .append(
            requestsPerMinute
                .map(r -> String.format(Locale.ROOT, "%.1f requests/minute", r))
                .orElse("not bounded by pacing or limits (latency and the API decide)"))
        .append('\n');
    sb.append("per day:   ")
        .append(
            requestsPerDay
                .map(d -> String.format(Locale.ROOT, "%,d requests", d))
                .orElse("no daily limit declared"))
        .append('\n');
    sb.append("wall time: ")
        .append(wallTime.map(Durations::format).orElse("unknown"))
        .append(days > 1 ? " on each of " + days + " days (daily limit)" : "")
        .append('\n');
    sb.append(
        String.format(Locale.ROOT, "tokens:    about %,d prompt tokens%n", estimatedPromptTokens));
    sb.append("cost:      ")
        .append(
            Double.isNaN(estimatedCostUsd)
                ? "unknown (no price for this model; see --prices)"
                : "about " + Prices.format(estimatedCostUsd))
        .append('\n');
    for (String a : assumptions) sb.append("assumed:   ").append(a).append('\n');
    return sb.toString();
  }
}
