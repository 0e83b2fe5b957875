package dev.gkr;

import dev.gkr.internal.common.Durations;
import dev.gkr.internal.common.Numbers;
import dev.gkr.internal.common.Tokens;
import dev.gkr.internal.config.Settings;
import dev.gkr.internal.cost.CacheChoice;
import dev.gkr.internal.cost.PriceTier;
import dev.gkr.internal.cost.Prices;
import dev.gkr.internal.plan.CachePlan;
import dev.gkr.internal.plan.PlanAssumptions;
import dev.gkr.internal.plan.PlanCost;
import dev.gkr.internal.plan.PlanRate;
import dev.gkr.internal.request.TaskInputs;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
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
  private final List<String> contextCache;

  /** For {@link #replay}: the settings and tasks the plan was made of (not part of its value). */
  private final Settings settings;

  private final List<Task> taskList;

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
      double estimatedCostUsd,
      List<String> contextCache,
      Settings settings,
      List<Task> taskList) {
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
    this.contextCache = List.copyOf(contextCache);
    this.settings = settings;
    this.taskList = taskList;
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

  /**
   * Per project, whether the shared context would go into an explicit cache ({@link
   * Cost.Builder#contextCache}) and why: {@code project a cached (saves about $0.120000)}; empty
   * without a context. The cost estimate above sends the context inline.
   */
  public List<String> contextCache() {
    return contextCache;
  }

  /** The plan of these tasks with these settings: its rate, cost and assumptions. */
  static Plan of(Settings s, List<Task> tasks) {
    PlanRate rate = PlanRate.of(s, tasks);
    PlanCost cost = PlanCost.of(s, tasks);
    List<String> assumed = PlanAssumptions.of(s, tasks.size(), rate, cost);
    List<String> cache =
        CachePlan.of(s, tasks, tasks.size()).stream().map(CacheChoice::text).toList();
    return new Plan(s, tasks, rate, rate.promptTokens(), assumed, cost.usd(), cache, true);
  }

  /** {@code replayable}: whether {@link #replay} may run the tasks as generation. */
  private Plan(
      Settings s,
      List<Task> tasks,
      PlanRate rate,
      long tokens,
      List<String> assumed,
      double usd,
      List<String> contextCache,
      boolean replayable) {
    this(
        tasks.size(),
        s.keys().size(),
        rate.projects(),
        rate.slots(),
        rate.perMinute(),
        rate.perDay(),
        rate.wallTime(),
        rate.days(),
        tokens,
        assumed,
        usd,
        contextCache,
        replayable ? s : null,
        List.copyOf(tasks));
  }

  /**
   * The plan of embedding these texts ({@link Rotator#embed}) with {@code rotator}'s keys and
   * limits: every text is one request and its tokens count against the token limit, as Gemini
   * counts them (packs are paced per text, so the slots' {@code every} does not bound the rate);
   * the cost is the input tokens at the model's embedding price, at the batch price when the
   * rotator's Batch Mode is {@link Mode#BATCH}. Such a plan cannot be {@linkplain #replay
   * replayed}.
   */
  public static Plan embeddings(Rotator rotator, List<?> tasks, Embedding how) {
    Settings s = rotator.settings();
    List<Task> list = TaskInputs.fromList(Objects.requireNonNull(tasks, "tasks"));
    PlanRate rate = PlanRate.of(s, list, false);
    long tokens = list.stream().mapToLong(t -> Tokens.estimate(t.prompt(), "")).sum();
    Prices.Usage usage = new Prices.Usage(tokens, 0, 0, 0);
    boolean batch = s.batch().mode() == Mode.BATCH;
    double usd = s.prices().cost(how.model(), usage, batch ? PriceTier.BATCH : PriceTier.STANDARD);
    double atBatch = s.prices().cost(how.model(), usage, PriceTier.BATCH);
    List<String> assumed = new java.util.ArrayList<>();
    assumed.add(
        "each text is one request, as Gemini counts the texts of a batchEmbedContents call");
    assumed.add(
        rate.perMinute().isEmpty()
            ? "no limits declared: the rate is Gemini's to decide"
            : "the declared limits at 95 %, as gkr paces them (the slots' pacing is not used)");
    if (!batch && !Double.isNaN(atBatch))
      assumed.add(
          "in Batch Mode (--mode batch) the texts would cost about " + Numbers.usd(atBatch));
    return new Plan(s, list, rate, tokens, assumed, usd, List.of(), false);
  }

  /**
   * Checks this plan by running its batch against a quota-enforcing server, e.g. the Gemini
   * simulator ({@code plan.replay(60, SimulatorReplay::start)}), whose projects get the declared
   * limits as their quotas, with time compressed {@code speedup} times (a minute of quota window
   * becomes {@code 60 s / speedup}). Nothing reaches Google; the keys are only used to group
   * projects; nothing is written.
   *
   * @throws IllegalArgumentException when the plan has no pacing to compress (no {@code every}, no
   *     limits)
   */
  public PlanReplay replay(int speedup, ReplayServer.Factory servers) {
    if (settings == null)
      throw new IllegalStateException("a plan of embeddings cannot be replayed (yet)");
    if (speedup < 1) throw new IllegalArgumentException("speedup must be >= 1, was " + speedup);
    Objects.requireNonNull(servers, "servers");
    return PlanReplay.run(this, settings, taskList, speedup, servers);
  }

  /** For people: one line per figure. */
  public String print() {
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "%s over %s in %s, %s%n",
            Numbers.count(tasks, "task"),
            Numbers.count(keys, "key"),
            Numbers.count(projects, "project"),
            Numbers.count(slots, "slot")));
    sb.append("rate:      ")
        .append(
            requestsPerMinute
                .map(r -> String.format(Locale.ROOT, "%.1f requests/minute", r))
                .orElse("not bounded by pacing or limits (latency and the API decide)"))
        .append('\n');
    sb.append("per day:   ")
        .append(
            requestsPerDay.map(d -> Numbers.count(d, "request")).orElse("no daily limit declared"))
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
                ? "unknown (no price for this model; see prices(...))"
                : "about " + Numbers.usd(estimatedCostUsd))
        .append('\n');
    if (!contextCache.isEmpty())
      sb.append("cache:     ").append(String.join(", ", contextCache)).append('\n');
    for (String a : assumptions) sb.append("assumed:   ").append(a).append('\n');
    return sb.toString();
  }
}
