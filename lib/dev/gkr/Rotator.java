package dev.gkr;

import dev.gkr.internal.call.Transport;
import dev.gkr.internal.common.ApiKey;
import dev.gkr.internal.common.Args;
import dev.gkr.internal.common.BaseUrls;
import dev.gkr.internal.common.Clock;
import dev.gkr.internal.common.KeyVariables;
import dev.gkr.internal.config.Fallbacks;
import dev.gkr.internal.config.JsonMode;
import dev.gkr.internal.config.Settings;
import dev.gkr.internal.embed.EmbedRun;
import dev.gkr.internal.engine.Timeline;
import dev.gkr.internal.json.RecordSchemas;
import dev.gkr.internal.request.EffectiveConfig;
import dev.gkr.internal.request.TaskInputs;
import dev.gkr.internal.request.TaskRequests;
import dev.gkr.internal.run.Run;
import dev.gkr.internal.task.RetryPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 *     .checkpoint(Path.of("tasks.checkpoint.jsonl"))
 *     .run(List.of("Summarise ...", "Translate ..."));
 * System.out.println(results.print());
 * Results.write(results, Path.of("results.parquet"));   // or .csv, .jsonl, .json
 * }</pre>
 *
 * <p>Settings that belong together are handed over as one immutable value: {@link Generation} (the
 * rest of the request), {@link Retries}, {@link Cost} and {@link BatchMode}; {@link ErrorLog} is a
 * listener. A {@code Rotator} is a builder: each method checks its argument at once and returns
 * {@code this}. {@link #run} copies the settings, so changing the builder later never affects a
 * running batch. Configure it on one thread; {@link #stats()} may be called from any thread while
 * {@link #run} works.
 *
 * <p>Defaults: model {@code gemini-2.5-flash}, 1 slot per key, {@code every} 0 (no pacing), {@link
 * Generation#DEFAULT}, {@link Retries#DEFAULT}, {@link Cost#DEFAULT}, {@link BatchMode#OFF}, no
 * checkpoint, {@link LocalFiles#DEFAULT} (task files read from, and confined to, the working
 * directory).
 */
public final class Rotator {
  /** Environment variables read by {@link #fromEnv()}, in order. */
  public static final List<String> KEY_VARIABLES = KeyVariables.NAMES;

  private final List<String> keys;
  private final Map<String, String> projectOfKey = new LinkedHashMap<>();
  private Limits limits;
  private String model = "gemini-2.5-flash";
  private List<String> fallbackModels = List.of();
  private int slots = 1;
  private Duration every = Duration.ZERO;
  private String systemInstruction;
  private Optional<Double> temperature = Optional.empty();
  private JsonMode json = JsonMode.OFF;
  private Generation generation = Generation.DEFAULT;
  private Retries retries = Retries.DEFAULT;
  private Cost cost = Cost.DEFAULT;
  private BatchMode batchMode = BatchMode.OFF;
  private Path checkpoint;
  private LocalFiles files = LocalFiles.DEFAULT;
  private List<Path> context = List.of();
  private String baseUrl;
  private final List<Consumer<RotatorEvent>> listeners = new ArrayList<>();
  // Test and benchmark hooks (package-private).
  private Clock clock = Clock.SYSTEM;
  private boolean runThrottle = true;
  private long inlineLimit = TaskRequests.INLINE_LIMIT;
  private volatile Run current;
  private volatile java.util.function.Supplier<RunStats> stats = () -> RunStats.builder().build();

  private Rotator(List<String> keys) {
    this.keys = new ArrayList<>(keys);
  }

  /** Starts a rotator over these keys; blank and repeated keys are dropped. */
  public static Rotator keys(String... keys) {
    return keys(Arrays.asList(Objects.requireNonNull(keys, "keys")));
  }

  /** Starts a rotator over these keys (read from a file, say); blank and repeated ones dropped. */
  public static Rotator keys(List<String> keys) {
    Objects.requireNonNull(keys, "keys");
    List<String> unique = ApiKey.distinctWellFormed(keys);
    if (unique.isEmpty())
      throw new IllegalArgumentException("at least one API key is needed, got none");
    return new Rotator(unique);
  }

  /**
   * Keys from {@code GEMINI_API_KEYS} (comma-separated), else {@code GEMINI_API_KEY}, else {@code
   * GOOGLE_API_KEY}.
   */
  public static Rotator fromEnv() {
    return keys(KeyVariables.required(System.getenv()));
  }

  /**
   * Groups keys into one Google Cloud project: they share its quota, so with {@link #limits} they
   * share its pacing, and a spent daily quota parks them together. Keys not yet in this rotator are
   * added. A key in no project is a project of its own.
   */
  public Rotator project(String name, String... projectKeys) {
    for (String key : ApiKey.projectKeys(name, projectKeys)) {
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

  /** Workers per key. Default 1. */
  public Rotator slots(int slots) {
    if (slots < 1) throw new IllegalArgumentException("slots must be >= 1, was " + slots);
    this.slots = slots;
    return this;
  }

  /** Start-to-start gap of each slot: {@code "12s"}, {@code "500ms"}, {@code "1m"}. Default 0. */
  public Rotator every(String every) {
    return every(dev.gkr.internal.common.Durations.parse(every, "every"));
  }

  public Rotator every(Duration every) {
    this.every = Args.nonNegative(every, "every");
    return this;
  }

  public Rotator model(String model) {
    this.model = Args.nonBlank(model, "model").strip();
    return this;
  }

  /**
   * Models asked in order when the run's model stays overloaded for {@link
   * Retries.Builder#fallbackAfter} (60 s) or is not found; the run returns to it when a probe is
   * answered. Each row's {@code model} names the model asked. None by default.
   */
  public Rotator fallbackModels(String... models) {
    this.fallbackModels = Fallbacks.check(model, Arrays.asList(Objects.requireNonNull(models)));
    return this;
  }

  public Rotator systemInstruction(String text) {
    this.systemInstruction = Args.nonBlank(text, "systemInstruction");
    return this;
  }

  public Rotator temperature(double temperature) {
    this.temperature = Optional.of(Args.inRange(temperature, 0, 2, "temperature"));
    return this;
  }

  /**
   * Asks for JSON answers and parses (and repairs) each one into the {@code json} column; {@link
   * Results#flatten} turns top-level fields into columns.
   */
  public Rotator json() {
    this.json = new JsonMode(true, json.schema());
    return this;
  }

  /** Like {@link #json()}, and sends this JSON Schema as the response schema. */
  public Rotator json(String schema) {
    this.json = new JsonMode(true, Optional.of(Args.nonBlank(schema, "schema")));
    return this;
  }

  /**
   * Like {@link #json(String)} with the JSON Schema of a record type (see the README); an answer
   * that does not bind fails as {@code schema_mismatch}; {@link Results#records} binds the rows.
   */
  public Rotator json(Class<?> type) {
    String schema = RecordSchemas.of(Objects.requireNonNull(type, "type")).toString();
    this.json = new JsonMode(true, Optional.of(schema), Optional.of(type));
    return this;
  }

  /**
   * The rest of the request: maxOutputTokens, sampling, thinking, safety and any other
   * generationConfig field. Replaces earlier generation settings. Default {@link
   * Generation#DEFAULT}.
   */
  public Rotator generation(Generation generation) {
    this.generation = Objects.requireNonNull(generation, "generation");
    return this;
  }

  /** Retries, waiting, timeouts and parking. Default {@link Retries#DEFAULT}. */
  public Rotator retries(Retries retries) {
    this.retries = Objects.requireNonNull(retries, "retries");
    return this;
  }

  /** A cost cap, your prices, the Flex tier. Default {@link Cost#DEFAULT}. */
  public Rotator cost(Cost cost) {
    this.cost = Objects.requireNonNull(cost, "cost");
    return this;
  }

  /**
   * Gemini Batch Mode, for all tasks or the rest after a deadline. Default {@link BatchMode#OFF}.
   */
  public Rotator batchMode(BatchMode batchMode) {
    this.batchMode = Objects.requireNonNull(batchMode, "batchMode");
    return this;
  }

  /**
   * Append-only JSON Lines checkpoint; a rerun with the same file skips finished tasks. gkr keeps
   * its other files beside it ({@code <checkpoint>.parked.json}, {@code .batches.json}, {@code
   * .uploads.jsonl}).
   */
  public Rotator checkpoint(Path file) {
    this.checkpoint = Objects.requireNonNull(file, "checkpoint");
    return this;
  }

  /**
   * Where the local files a task names are read from and which folders they may come from: by
   * default the working directory, and nothing outside it ({@code gkr} passes the tasks file's
   * folder). The {@code files} value itself stays as written, so the results show it unchanged.
   * Default {@link LocalFiles#DEFAULT}.
   */
  public Rotator files(LocalFiles files) {
    this.files = Objects.requireNonNull(files, "files");
    return this;
  }

  /**
   * Files every request starts with, before the task's own files and prompt: a contract, a manual,
   * a set of examples (text, PDF, images: what the files column takes). Replaces earlier ones.
   */
  public Rotator context(Path... files) {
    this.context = TaskRequests.contextFiles(Objects.requireNonNull(files, "files"));
    return this;
  }

  /**
   * Where Gemini is: the simulator, a proxy, or a test server. Default: env GOOGLE_GEMINI_BASE_URL,
   * else Google. Every request carries an API key, so plain {@code http://} is refused here unless
   * the host is this machine ({@code 127.0.0.1}, {@code ::1}, {@code localhost}) or {@link
   * BaseUrlOption#INSECURE} says you mean it; the environment variable follows the same rule when a
   * run starts.
   */
  public Rotator baseUrl(String url, BaseUrlOption... options) {
    boolean insecure = Arrays.asList(options).contains(BaseUrlOption.INSECURE);
    this.baseUrl =
        BaseUrls.check(url, "baseUrl", insecure, "pass BaseUrlOption.INSECURE to baseUrl(...)");
    return this;
  }

  /**
   * Registers a listener for {@link RotatorEvent}s of every later run, e.g. {@link ErrorLog#to}.
   */
  public Rotator onEvent(Consumer<RotatorEvent> listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
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
    Run run = new Run(settings());
    stats = (current = run)::stats; // the generation run, and the one stats() reads
    try {
      return run.run(tasks);
    } finally {
      for (Consumer<RotatorEvent> l : listeners) if (l instanceof ErrorLog log) log.close();
    }
  }

  /** Embeds each task's prompt ({@link Embedding}) with this rotator's keys, limits and slots. */
  public Table embed(List<?> tasks, Embedding how) {
    EmbedRun run = new EmbedRun(settings(), Objects.requireNonNull(how, "how"), tasks);
    stats = run::stats;
    return run.run();
  }

  /**
   * Estimates rate, wall time, days, tokens and cost for these tasks with the current settings;
   * sends nothing. {@link Plan#replay} checks it against the simulator.
   */
  public Plan plan(List<?> tasks) {
    return Plan.of(settings(), TaskInputs.fromList(Objects.requireNonNull(tasks, "tasks")));
  }

  /** Counts, throughput, key states and requests of the current or last run; any thread. */
  public RunStats stats() {
    return stats.get();
  }

  /** Sends one prompt with the first key, once, and returns what came back (tests, the bench). */
  Outcome generate(String prompt) {
    return Transport.once(settings(), prompt);
  }

  /** Every request of the current or last run (tests, the bench). */
  List<Timeline.Entry> timelineEntries() {
    Run r = current;
    return r == null ? List.of() : r.timeline();
  }

  /** The run's clock (tests: a fake one, so rate limits never really wait). */
  Rotator clock(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
    return this;
  }

  /** Off only for the benchmark's baseline: every task backs off alone, as naive rotators do. */
  Rotator runThrottle(boolean on) {
    this.runThrottle = on;
    return this;
  }

  /** Local files above this total size per request go through the Files API (tests lower it). */
  Rotator inlineLimit(long bytes) {
    this.inlineLimit = Args.nonNegative(bytes, "inlineLimit");
    return this;
  }

  /** Everything a run needs, copied now: later builder calls never change it. */
  Settings settings() {
    return new Settings(
        ApiKey.labelled(keys),
        model,
        slots,
        every,
        Optional.ofNullable(systemInstruction),
        temperature,
        retries.maxRetries(),
        retries.transientRetries().orElse(RetryPolicy.UNSET),
        retries.maxConsecutiveRateLimits(),
        retries.timeout(),
        Optional.ofNullable(baseUrl),
        Optional.ofNullable(checkpoint),
        retries.retryFailed(),
        json,
        retries.gracePeriod(),
        List.copyOf(listeners),
        clock,
        ApiKey.projects(keys, projectOfKey),
        Optional.ofNullable(limits),
        retries.maxWait(),
        runThrottle,
        EffectiveConfig.request(
            generation, temperature, json, files, inlineLimit, context, cost.cacheMode()),
        batchMode.options(),
        cost.prices(),
        cost.tier(),
        cost.maxCost(),
        cost.expectedOutputTokens().orElse(0),
        new Fallbacks(fallbackModels, retries.fallbackAfter()));
  }
}
