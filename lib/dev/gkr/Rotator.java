package dev.gkr;

import dev.gkr.internal.call.Transport;
import dev.gkr.internal.common.ApiKey;
import dev.gkr.internal.common.Clock;
import dev.gkr.internal.common.Redactor;
import dev.gkr.internal.config.BatchOptions;
import dev.gkr.internal.config.Settings;
import dev.gkr.internal.cost.PriceTier;
import dev.gkr.internal.cost.Prices;
import dev.gkr.internal.engine.Timeline;
import dev.gkr.internal.request.GenerationOptions;
import dev.gkr.internal.request.TaskInputs;
import dev.gkr.internal.run.Batch;
import dev.gkr.internal.table.JsonColumns;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import tech.tablesaw.api.Table;

/**
 * The entry point: sends a batch of prompts to Gemini across many API keys, each key with {@code
 * slots} workers that pace themselves start-to-start, and returns one result row per task.
 *
 * <pre>{@code
 * Table results = Rotator.keys(k1, k2, k3)
 *     .model("gemini-2.5-flash")
 *     .slots(4)                  // workers per key: 3 keys x 4 = 12 slots
 *     .every("12s")              // each slot starts a request at most every 12 s
 *     .checkpoint("tasks.checkpoint.jsonl")
 *     .run(List.of("Summarise ...", "Translate ..."));
 * System.out.println(results.print());
 * Results.write(results, Path.of("results.parquet"));   // or .csv, .jsonl, .json
 * }</pre>
 *
 * <p>A {@code Rotator} is a builder: each method checks its argument at once and returns {@code
 * this}. {@link #run} copies the settings, so changing the builder later never affects a running
 * batch. Configure it on one thread; {@link #stats()} may be called from any thread while {@link
 * #run} works.
 *
 * <p>Defaults: model {@code gemini-2.5-flash}, 1 slot per key, {@code every} 0 (no pacing), 3 task
 * retries, 30 minutes of waiting per task for transient errors ({@link #maxWait}), a 2-minute
 * request timeout, a 10-second grace period on interrupt, no checkpoint.
 */
public final class Rotator {
  /** Environment variables read by {@link #fromEnv()}, in order. */
  public static final List<String> KEY_VARIABLES =
      List.of("GEMINI_API_KEYS", "GEMINI_API_KEY", "GOOGLE_API_KEY");

  private final List<String> keys;
  private final java.util.Map<String, String> projectOfKey = new java.util.LinkedHashMap<>();
  private Limits limits;
  private String model = "gemini-2.5-flash";
  private int slots = 1;
  private Duration every = Duration.ZERO;
  private String systemInstruction;
  private Double temperature;
  private int maxRetries = 3;
  private int transientRetries = Settings.TRANSIENT_RETRIES_UNSET;
  private Duration maxWait = Duration.ofMinutes(30);
  private boolean runThrottle = true;
  private int maxConsecutiveRateLimits = 12;
  private Duration timeout = Duration.ofMinutes(2);
  private String baseUrl;
  private Path checkpoint;
  private boolean retryFailed = true;
  private Path errorLog;
  private Settings.JsonMode json = Settings.JsonMode.OFF;
  private Duration gracePeriod = Duration.ofSeconds(10);
  private final List<Consumer<RotatorEvent>> listeners = new ArrayList<>();
  private Clock clock = Clock.SYSTEM;
  private GenerationOptions gen = new GenerationOptions();
  private Prices prices;
  private PriceTier serviceTier;
  private Double maxCost;
  private int expectedOutputTokens;
  private volatile Batch current;
  private BatchOptions batch = BatchOptions.DEFAULT;

  private Rotator(List<String> keys) {
    this.keys = new ArrayList<>(keys);
  }

  /** Starts a rotator over these keys; blank and repeated keys are dropped. */
  public static Rotator keys(String... keys) {
    return keys(Arrays.asList(Objects.requireNonNull(keys, "keys")));
  }

  public static Rotator keys(List<String> keys) {
    Objects.requireNonNull(keys, "keys");
    LinkedHashSet<String> unique = new LinkedHashSet<>();
    for (String k : keys) if (k != null && !k.isBlank()) unique.add(k.strip());
    if (unique.isEmpty())
      throw new IllegalArgumentException("at least one API key is needed, got none");
    return new Rotator(List.copyOf(unique));
  }

  /**
   * Keys from {@code GEMINI_API_KEYS} (comma-separated), else {@code GEMINI_API_KEY}, else {@code
   * GOOGLE_API_KEY}.
   */
  public static Rotator fromEnv() {
    List<String> keys = keysInEnvironment(System.getenv());
    if (keys.isEmpty())
      throw new IllegalArgumentException(
          "no API keys in the environment: set one of " + KEY_VARIABLES);
    return keys(keys);
  }

  /**
   * The keys {@link #fromEnv()} reads from {@code env}: the first of {@link #KEY_VARIABLES} that is
   * set, split at commas, blanks and repeats dropped; empty when none is set. The command line
   * reads the environment this way too.
   */
  public static List<String> keysInEnvironment(java.util.Map<String, String> env) {
    for (String var : KEY_VARIABLES) {
      String v = env.get(var);
      if (v == null || v.isBlank()) continue;
      LinkedHashSet<String> unique = new LinkedHashSet<>();
      for (String k : v.split(",")) if (!k.isBlank()) unique.add(k.strip());
      if (!unique.isEmpty()) return List.copyOf(unique);
    }
    return List.of();
  }

  /**
   * Groups keys into one Google Cloud project: they share its quota, so with {@link #limits} they
   * share its pacing, and a spent daily quota parks them together. Keys not yet in this rotator are
   * added. A key in no project is a project of its own.
   */
  public Rotator project(String name, String... projectKeys) {
    if (name == null || name.isBlank())
      throw new IllegalArgumentException("project name must not be blank");
    if (projectKeys == null || projectKeys.length == 0)
      throw new IllegalArgumentException("project " + name + " needs at least one key");
    for (String k : projectKeys) {
      if (k == null || k.isBlank())
        throw new IllegalArgumentException("project " + name + ": blank key");
      String key = k.strip();
      if (!keys.contains(key)) keys.add(key);
      projectOfKey.put(key, name.strip());
    }
    return this;
  }

  /**
   * The quota of each project (see {@link #project}); gkr spaces each project's request starts
   * evenly to stay within it, slows a project down when it meets 429s anyway, and stops a project
   * for the day at its daily limit.
   */
  public Rotator limits(Limits limits) {
    this.limits = Objects.requireNonNull(limits, "limits");
    return this;
  }

  public Rotator model(String model) {
    if (model == null || model.isBlank())
      throw new IllegalArgumentException("model must not be blank");
    this.model = model.strip();
    return this;
  }

  /** Workers per key. Default 1. */
  public Rotator slots(int slots) {
    if (slots < 1) throw new IllegalArgumentException("slots must be >= 1, was " + slots);
    this.slots = slots;
    return this;
  }

  /** Start-to-start gap of each slot: {@code "12s"}, {@code "500ms"}, {@code "1m"}. Default 0. */
  public Rotator every(String every) {
    return every(Durations.parse(every, "every"));
  }

  public Rotator every(Duration every) {
    if (every == null || every.isNegative())
      throw new IllegalArgumentException("every must be >= 0, was " + every);
    this.every = every;
    return this;
  }

  public Rotator systemInstruction(String text) {
    if (text == null || text.isBlank())
      throw new IllegalArgumentException("systemInstruction must not be blank");
    this.systemInstruction = text;
    return this;
  }

  public Rotator temperature(double temperature) {
    if (!(temperature >= 0 && temperature <= 2))
      throw new IllegalArgumentException("temperature must be in 0..2, was " + temperature);
    this.temperature = temperature;
    return this;
  }

  // --- Generation settings (issue 16): each is sent in generationConfig and is part of the
  // checkpoint hash. ---

  /**
   * Caps each answer's tokens; thinking tokens count against it too. Default: the model's limit.
   */
  public Rotator maxOutputTokens(int tokens) {
    gen.maxOutputTokens(tokens);
    return this;
  }

  /** Nucleus sampling, 0..1. */
  public Rotator topP(double topP) {
    gen.topP(topP);
    return this;
  }

  /** Top-k sampling, >= 1. */
  public Rotator topK(int topK) {
    gen.topK(topK);
    return this;
  }

  /**
   * Sampling seed: the same seed and settings make answers repeatable (as far as the model allows).
   */
  public Rotator seed(int seed) {
    gen.seed(seed);
    return this;
  }

  /** Up to 5 sequences that end an answer where they appear (not included in the answer). */
  public Rotator stopSequences(String... stops) {
    gen.stopSequences(Arrays.asList(Objects.requireNonNull(stops, "stopSequences")));
    return this;
  }

  public Rotator stopSequences(List<String> stops) {
    gen.stopSequences(stops);
    return this;
  }

  /**
   * Thinking tokens for 2.5 models: 0 off (Flash, Flash-Lite), -1 dynamic, N up to N tokens. Not
   * with {@link #thinkingLevel}.
   */
  public Rotator thinkingBudget(int tokens) {
    gen.thinkingBudget(tokens);
    return this;
  }

  /** Thinking for 3.x models: minimal, low, medium or high. Not with {@link #thinkingBudget}. */
  public Rotator thinkingLevel(String level) {
    gen.thinkingLevel(level);
    return this;
  }

  /**
   * A safety setting, with the API's names: {@code safety("HARM_CATEGORY_HARASSMENT",
   * "BLOCK_ONLY_HIGH")} (the {@code HARM_CATEGORY_} prefix may be left out). A later call for the
   * same category replaces it.
   */
  public Rotator safety(String category, String threshold) {
    gen.safety(category, threshold);
    return this;
  }

  /**
   * Any other generationConfig field, as the REST API documents it (camelCase; snake_case is
   * accepted), e.g. {@code config("{\"presencePenalty\": 0.5}")}. The explicit settings above win
   * over it. Unknown or mistyped fields are refused here, by name.
   */
  public Rotator config(String generationConfigJson) {
    gen.config(generationConfigJson);
    return this;
  }

  /**
   * In JSON mode an answer cut off by maxOutputTokens is a task error {@code truncated} (a repaired
   * half object would pass as whole); with {@code true} it is kept as a success. Default false.
   */
  public Rotator acceptTruncated(boolean accept) {
    gen.acceptTruncated(accept);
    return this;
  }

  /** Retries for task errors (safety block, bad request, empty answer, bad JSON). Default 3. */
  public Rotator maxRetries(int retries) {
    if (retries < 0) throw new IllegalArgumentException("maxRetries must be >= 0, was " + retries);
    this.maxRetries = retries;
    return this;
  }

  /**
   * Also caps the count of transient errors (5xx, timeouts, connection errors) a task may meet,
   * besides {@link #maxWait}; answers during a run-wide storm are not counted. Default: no cap,
   * except 5 for 5xx other than 503 (a 500 that repeats is usually the prompt's).
   */
  public Rotator transientRetries(int retries) {
    if (retries < 0)
      throw new IllegalArgumentException("transientRetries must be >= 0, was " + retries);
    this.transientRetries = retries;
    return this;
  }

  /**
   * How long a task may wait in all, between transient failures (503 overload, other 5xx, timeouts,
   * connection errors) and its next attempt, before it ends with {@code error_type = overloaded}
   * (or its last transient type); failed tasks are redone on a rerun. When the whole run has been
   * throttled by a storm for this long, the run ends and every unfinished task gets {@code
   * overloaded}. Default 30 minutes.
   */
  public Rotator maxWait(Duration maxWait) {
    if (maxWait == null || maxWait.isNegative())
      throw new IllegalArgumentException("maxWait must be >= 0, was " + maxWait);
    this.maxWait = maxWait;
    return this;
  }

  public Rotator maxWait(String maxWait) {
    return maxWait(Durations.parse(maxWait, "maxWait"));
  }

  /**
   * Off only for the benchmark's baseline: every task backs off on its own, as naive rotators do.
   */
  Rotator runThrottle(boolean on) {
    this.runThrottle = on;
    return this;
  }

  /**
   * A key answered with this many per-minute 429s in a row, over at least 10 s and alone, is parked
   * for the run. Default 12.
   */
  public Rotator maxConsecutiveRateLimits(int n) {
    if (n < 1)
      throw new IllegalArgumentException("maxConsecutiveRateLimits must be >= 1, was " + n);
    this.maxConsecutiveRateLimits = n;
    return this;
  }

  /** Per-request timeout. Default 2 minutes. */
  public Rotator timeout(Duration timeout) {
    if (timeout == null || timeout.isNegative() || timeout.isZero())
      throw new IllegalArgumentException("timeout must be > 0, was " + timeout);
    this.timeout = timeout;
    return this;
  }

  public Rotator timeout(String timeout) {
    return timeout(Durations.parse(timeout, "timeout"));
  }

  /**
   * Where Gemini is: the simulator, a proxy, or a test server. Default: env GOOGLE_GEMINI_BASE_URL,
   * else Google.
   */
  public Rotator baseUrl(String url) {
    if (url == null || !(url.startsWith("http://") || url.startsWith("https://"))) {
      throw new IllegalArgumentException("baseUrl must start with http:// or https://, was " + url);
    }
    this.baseUrl = url;
    return this;
  }

  /** Append-only JSON Lines checkpoint; a rerun with the same file skips finished tasks. */
  public Rotator checkpoint(Path file) {
    this.checkpoint = Objects.requireNonNull(file, "checkpoint");
    return this;
  }

  public Rotator checkpoint(String file) {
    return checkpoint(Path.of(file));
  }

  /** On resume, redo tasks that failed last time (default true), or keep their failed rows. */
  public Rotator retryFailed(boolean retry) {
    this.retryFailed = retry;
    return this;
  }

  /** One readable line per failed attempt and per key change, appended to this file. */
  public Rotator errorLog(Path file) {
    this.errorLog = Objects.requireNonNull(file, "errorLog");
    return this;
  }

  public Rotator errorLog(String file) {
    return errorLog(Path.of(file));
  }

  /** Asks for JSON answers and parses (and repairs) each one into the {@code json} column. */
  public Rotator json() {
    this.json = new Settings.JsonMode(true, json.schema(), json.flatten());
    return this;
  }

  /** Like {@link #json()}, and sends this JSON Schema as the response schema. */
  public Rotator json(String schema) {
    if (schema == null || schema.isBlank())
      throw new IllegalArgumentException("schema must not be blank");
    this.json = new Settings.JsonMode(true, Optional.of(schema), json.flatten());
    return this;
  }

  /**
   * With {@link #json()}: when every answer is an object, its top-level fields become typed
   * columns.
   */
  public Rotator flatten() {
    this.json = new Settings.JsonMode(true, json.schema(), true);
    return this;
  }

  /**
   * How long in-flight requests may finish after an interrupt before they are cancelled. Default 10
   * s.
   */
  public Rotator gracePeriod(Duration grace) {
    if (grace == null || grace.isNegative())
      throw new IllegalArgumentException("gracePeriod must be >= 0, was " + grace);
    this.gracePeriod = grace;
    return this;
  }

  /**
   * Stops taking new tasks before what was spent (results restored from the checkpoint included)
   * plus the worst case of the requests in flight would pass {@code usd}; the run then ends as
   * {@code budget_reached}, and a rerun with a higher cap resumes. A request's worst case is its
   * estimated input plus maxOutputTokens (8,192 when not set) of output. Needs a price for the
   * model ({@link #prices}). Default: no cap.
   */
  public Rotator maxCost(double usd) {
    if (!(usd > 0) || !Double.isFinite(usd))
      throw new IllegalArgumentException("maxCost must be a positive number of USD, was " + usd);
    this.maxCost = usd;
    return this;
  }

  /**
   * Adds models to the built-in price table or replaces its entries: JSON of the shape of gkr's
   * {@code prices.json} ({@code {"models": {"gemini-x": {"standard": {"input": .., "output": ..,
   * "cachedInput": ..}, "batch": {..}, "flex": {..}}}}}, USD per million tokens). Checked at once;
   * a bad field is named.
   */
  public Rotator prices(String json) {
    this.prices = Prices.builtIn().with(Objects.requireNonNull(json, "prices"), "prices");
    return this;
  }

  /** {@link #prices(String)} from a file. */
  public Rotator prices(Path file) {
    this.prices = Prices.builtIn().with(Objects.requireNonNull(file, "prices"));
    return this;
  }

  /**
   * {@code flex} (50 % off, best effort, may take minutes) or {@code standard}: sent as the
   * request's {@code serviceTier} and priced accordingly. Default: none sent (the API's standard
   * tier).
   */
  public Rotator serviceTier(String tier) {
    this.serviceTier = PriceTier.requestable(tier);
    return this;
  }

  /** Registers a listener for {@link RotatorEvent}s of every later run. */
  public Rotator onEvent(Consumer<RotatorEvent> listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
    return this;
  }

  // --- Batch Mode (issue 19) ---

  /**
   * {@link Mode#BATCH} sends the tasks as Gemini Batch Mode jobs at half the price; {@link
   * Mode#AUTO} (with {@link #deadline}) splits them between the two; default {@link Mode#SYNC}.
   */
  public Rotator mode(Mode mode) {
    batch = batch.withMode(java.util.Objects.requireNonNull(mode, "mode"));
    return this;
  }

  public Rotator mode(String mode) {
    return mode(Mode.parse(mode));
  }

  /**
   * With {@link Mode#AUTO}: the tasks the declared quota ({@link #limits}, or the slots' pacing)
   * lets the synchronous mode finish within {@code deadline} go synchronously; the rest go as batch
   * jobs at the same time.
   */
  public Rotator deadline(Duration deadline) {
    if (deadline == null || deadline.isNegative() || deadline.isZero())
      throw new IllegalArgumentException("deadline must be > 0, was " + deadline);
    batch = batch.withDeadline(deadline);
    return this;
  }

  public Rotator deadline(String deadline) {
    return deadline(Durations.parse(deadline, "deadline"));
  }

  /** Batch jobs each project may have running at once (the API allows 100). Default 1. */
  public Rotator batchJobs(int jobs) {
    if (jobs < 1 || jobs > 100)
      throw new IllegalArgumentException("batchJobs must be in 1..100, was " + jobs);
    batch = batch.withJobs(jobs);
    return this;
  }

  /**
   * With {@link Mode#BATCH}: collect the finished jobs of the checkpoint's journal, cancel the
   * rest, submit nothing.
   */
  public Rotator cancelJobs(boolean cancel) {
    batch = batch.withCancelJobs(cancel);
    return this;
  }

  /** Polling of batch jobs: first wait and longest wait (tests shorten them). */
  Rotator batchPolling(Duration first, Duration max) {
    batch = batch.withPolling(first, max);
    return this;
  }

  /** Batch jobs above this size go as an uploaded JSONL file (tests lower it). */
  Rotator batchInlineBytes(long bytes) {
    batch = batch.withInlineBytes(bytes);
    return this;
  }

  /**
   * The directory that relative paths in a task's {@code files} are read from; default the working
   * directory ({@code gkr} passes the tasks file's). The {@code files} value itself stays as
   * written, so the results show it unchanged.
   */
  public Rotator filesDir(Path dir) {
    gen.filesDir(dir);
    return this;
  }

  /** Local files above this total size per request go through the Files API (tests lower it). */
  Rotator inlineLimit(long bytes) {
    gen.inlineLimit(bytes);
    return this;
  }

  Rotator clock(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    return this;
  }

  /**
   * Runs the batch and returns one row per task in input order. Elements may be {@link String}s,
   * {@link Task}s, or maps with {@code prompt} and optional {@code id} (other entries become
   * columns). An interrupt stops the run gracefully: unfinished tasks get {@code error_type =
   * cancelled}, the checkpoint keeps the finished ones, and the thread's interrupt flag is set
   * again.
   *
   * @throws IllegalArgumentException for bad tasks (empty prompt, duplicate id), naming the row
   */
  public Table run(List<?> tasks) {
    return start(TaskInputs.fromList(Objects.requireNonNull(tasks, "tasks")));
  }

  /**
   * Runs the rows of a table with a {@code prompt} column (and optional {@code id}); other columns
   * are kept.
   */
  public Table run(Table tasks) {
    return start(TaskInputs.fromTable(Objects.requireNonNull(tasks, "tasks")));
  }

  private Table start(List<Task> tasks) {
    Batch batch = new Batch(settings());
    current = batch;
    Table t = batch.run(tasks);
    return json.flatten() ? JsonColumns.flatten(t) : t;
  }

  /**
   * Estimates rate, wall time, days, tokens and cost for these tasks with the current settings;
   * sends nothing.
   */
  public Plan plan(List<?> tasks) {
    return Plan.of(
        settings(),
        TaskInputs.fromList(Objects.requireNonNull(tasks, "tasks")),
        expectedOutputTokens);
  }

  /**
   * Output tokens per task (answer and thinking) that {@link #plan}'s cost estimate assumes; the
   * run ignores it. Default: maxOutputTokens when set, else 1,000.
   */
  public Rotator expectedOutputTokens(int tokens) {
    if (tokens < 1)
      throw new IllegalArgumentException("expectedOutputTokens must be >= 1, was " + tokens);
    this.expectedOutputTokens = tokens;
    return this;
  }

  /**
   * Checks {@link #plan} by running the batch against a quota-enforcing server, e.g. the Gemini
   * simulator ({@code rotator.replayPlan(tasks, 60, SimulatorReplay::start)}), whose projects get
   * the declared limits as their quotas, with time compressed {@code speedup} times (a minute of
   * quota window becomes {@code 60 s / speedup}). Nothing reaches Google; the keys are only used to
   * group projects; nothing is written.
   */
  public PlanReplay replayPlan(List<?> tasks, int speedup, ReplayServer.Factory servers) {
    if (speedup < 1) throw new IllegalArgumentException("speedup must be >= 1, was " + speedup);
    Objects.requireNonNull(servers, "servers");
    return PlanReplay.run(
        settings(), TaskInputs.fromList(Objects.requireNonNull(tasks, "tasks")), speedup, servers);
  }

  /** Sends one prompt with the first key, once, and returns what came back. */
  public Outcome generate(String prompt) {
    if (prompt == null || prompt.isBlank())
      throw new IllegalArgumentException("prompt must not be blank");
    Settings s = settings();
    try (Transport transport = new Transport(s, new Redactor(s.keys()))) {
      return transport.generate(s.keys().get(0), prompt);
    }
  }

  /**
   * Every request of the current or last run, ordered by start: {@code slot}, {@code key}, {@code
   * task_id}, {@code start_s} (seconds since the run began), {@code latency_ms}, {@code outcome}
   * ({@code ok} or an error type).
   */
  public Table timeline() {
    Batch b = current;
    return b == null ? Timeline.table(List.of()) : b.timeline();
  }

  List<Timeline.Entry> timelineEntries() {
    Batch b = current;
    return b == null ? List.of() : b.timelineEntries();
  }

  /** Counts, throughput and key states of the current or last run. */
  public RunStats stats() {
    Batch b = current;
    return b == null ? RunStats.empty() : b.stats();
  }

  Settings settings() {
    List<ApiKey> apiKeys = new ArrayList<>(keys.size());
    List<String> projects = new ArrayList<>(keys.size());
    for (int i = 0; i < keys.size(); i++) {
      apiKeys.add(new ApiKey(keys.get(i), "key-" + (i + 1), i));
      projects.add(projectOfKey.getOrDefault(keys.get(i), "key-" + (i + 1)));
    }
    return new Settings(
        List.copyOf(apiKeys),
        model,
        slots,
        every,
        Optional.ofNullable(systemInstruction),
        Optional.ofNullable(temperature),
        maxRetries,
        transientRetries,
        maxConsecutiveRateLimits,
        timeout,
        Optional.ofNullable(baseUrl),
        Optional.ofNullable(checkpoint),
        retryFailed,
        Optional.ofNullable(errorLog),
        json,
        gracePeriod,
        List.copyOf(listeners),
        clock,
        List.copyOf(projects),
        Optional.ofNullable(limits),
        maxWait,
        runThrottle,
        new Settings.RequestSettings(
            gen.effective(temperature, json),
            gen.safetySettings(),
            gen.acceptTruncated(),
            gen.isDefault(),
            gen.inlineLimit(),
            gen.filesDir()),
        batch,
        prices != null ? prices : Prices.builtIn(),
        Optional.ofNullable(serviceTier),
        Optional.ofNullable(maxCost));
  }

  @Override
  public String toString() {
    return "Rotator["
        + keys.size()
        + " keys x "
        + slots
        + " slots every "
        + Durations.format(every)
        + ", model "
        + model
        + "]";
  }
}
