package dev.gkr.sim;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An offline Gemini API: a real HTTP server on 127.0.0.1 that speaks the REST wire format of {@code
 * POST /v1beta/models/{model}:generateContent} (also {@code :streamGenerateContent?alt=sse}, {@code
 * :countTokens}, {@code GET models} and {@code GET models/{model}}), so the official SDKs cannot
 * tell it from the real service. Answers are deterministic (derived from the prompt); keys, quotas
 * and faults are configurable.
 *
 * <pre>{@code
 * try (Simulator sim = Simulator.builder()
 *         .latency(Duration.ofMillis(150), Duration.ofMillis(50))
 *         .key("k-bad", KeyBehavior.invalid())
 *         .project("p1", Quota.perMinute(10), "k1", "k2")
 *         .start()) {
 *   Rotator.keys("k1", "k2", "k-bad").baseUrl(sim.baseUrl()).run(tasks);
 * }
 * }</pre>
 *
 * <p>Prompts may carry directives for tests and demos: {@code [[sim:safety]]}, {@code
 * [[sim:empty]]}, {@code [[sim:bad-request]]}, {@code [[sim:500]]}, {@code [[sim:503]]}, {@code
 * [[sim:504]]}, {@code [[sim:429]]}, {@code [[sim:bad-json]]} (an answer no JSON repair can read),
 * {@code [[sim:schema-mismatch]]} (valid JSON whose first field has the wrong type for the schema),
 * {@code [[sim:hang]]}; {@code [[sim:503x2]]} applies only to the first two requests carrying that
 * prompt; {@code [[sim:unsafe]]} (an answer rated MEDIUM for dangerous content, blocked unless the
 * request's safety settings allow it) and {@code [[sim:recitation]]} (stopped with RECITATION).
 *
 * <p>Generation settings are honoured as the API does (see {@code Generation}): maxOutputTokens,
 * thinking, stop sequences, seed, safety settings; inline data and the Files API ({@link
 * #uploads()}) count tokens from the files. {@link #requests()} keeps what each request asked for,
 * so tests can assert that a setting reached the wire. {@link Builder#storm Storms} answer all keys
 * (or some) with 503s or 429s for a time window. Thread-safe.
 */
public final class Simulator implements AutoCloseable {
  /**
   * Tunes the JDK's HTTP server for hundreds of concurrent clients: by default it keeps only 200
   * idle keep-alive connections and sends with Nagle's algorithm on. These are JVM-wide system
   * properties, read once when the server classes load, so the simulator never sets them by itself:
   * a program that owns its JVM (the {@code gkr} command, the benchmark) calls this before the
   * first simulator starts, or passes {@code -Dsun.net.httpserver.maxIdleConnections=100000
   * -Dsun.net.httpserver.nodelay=true}. A value already set wins.
   */
  public static void tuneJdkHttpServer() {
    setIfAbsent("sun.net.httpserver.maxIdleConnections", "100000");
    setIfAbsent("sun.net.httpserver.nodelay", "true");
  }

  private static void setIfAbsent(String key, String value) {
    if (System.getProperty(key) == null) System.setProperty(key, value);
  }

  private final HttpServer server;
  private final ExecutorService executor;
  private final GeminiHandler handler;

  private final RequestLogFile logFile;

  private Simulator(SimConfig config, int port, java.nio.file.Path logPath) {
    this.logFile = logPath == null ? null : new RequestLogFile(logPath);
    this.handler = new GeminiHandler(config, logFile);
    try {
      this.server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 4096);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot listen on 127.0.0.1:" + port, e);
    }
    this.executor = Executors.newVirtualThreadPerTaskExecutor();
    server.setExecutor(executor);
    server.createContext("/", handler);
    server.start();
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder set up from a profile file (JSON): latency, keys and their behaviour, projects and
   * their quotas, fault rates, malformed-JSON rate. See {@code samples/simulator-profile.json}.
   *
   * @throws IllegalArgumentException naming the file and the field that is wrong
   */
  public static Builder fromProfile(java.nio.file.Path file) {
    return Profile.load(file);
  }

  /** The keys of {@link #demo()}; they work only with the simulator. */
  public static final java.util.List<String> DEMO_KEYS =
      java.util.stream.IntStream.rangeClosed(1, 8)
          .mapToObj(i -> String.format(java.util.Locale.ROOT, "gkr-demo-key-%012d", i))
          .toList();

  /**
   * A realistic mix for demos and {@code gkr --simulate}: eight keys with 300 ms ± 150 ms latency,
   * one key suspended after a few requests, one rate-limited at first, two sharing a small project
   * quota, and 2 % of requests overloaded (503).
   */
  public static Builder demo() {
    return builder()
        .latency(Duration.ofMillis(300), Duration.ofMillis(150))
        .key(DEMO_KEYS.get(2), KeyBehavior.suspendedAfter(6))
        .key(DEMO_KEYS.get(4), KeyBehavior.rateLimitedFirst(2, Duration.ofSeconds(2)))
        .project(
            "demo-shared", Quota.per(6, Duration.ofSeconds(5)), DEMO_KEYS.get(6), DEMO_KEYS.get(7))
        .faultRate(Fault.UNAVAILABLE, 0.02)
        .malformedJsonRate(0.2)
        .missingModel("*"); // a model Gemini does not serve is a 404, as a real run's would be
  }

  /** {@code http://127.0.0.1:PORT}, to pass as the SDK's base URL. */
  public String baseUrl() {
    return "http://127.0.0.1:" + port();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /**
   * The text this simulator answers for a prompt outside JSON mode, so a test or pipeline can check
   * that every answer reached its own task. {@code system} may be empty, {@code temperature} null.
   */
  public static String answerFor(String prompt, String system, Double temperature) {
    return Answers.text(prompt, system == null ? "" : system, temperature);
  }

  /** Every request received so far, in arrival order (keys masked). */
  public List<SimRequest> requests() {
    return handler.log();
  }

  /** Explicit context caches ({@code cachedContents}): created so far, and alive now. */
  public SimCaches caches() {
    return handler.caches();
  }

  /** Every file uploaded through the simulator's Files API so far, in order (keys masked). */
  public List<SimFile> uploads() {
    return handler.uploads();
  }

  /** Every batch job created so far, in order, with its state now. */
  public List<SimBatch> batches() {
    return handler.batches();
  }

  /** The most requests that were being answered at the same moment. */
  public int maxConcurrentRequests() {
    return handler.maxInFlight();
  }

  /**
   * How many client connections (address and port) have sent requests so far, each counted once
   * however many requests it carried. Kept with the request log: 0 when {@link Builder#keepLog} is
   * off.
   */
  public int connections() {
    return handler.connections();
  }

  /** Stops listening and abandons requests still being answered (their connections are closed). */
  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    if (logFile != null) logFile.close();
  }

  @Override
  public String toString() {
    return "Simulator[" + baseUrl() + "]";
  }

  /** Fluent settings for a {@link Simulator}; every method validates its argument at once. */
  public static final class Builder {
    private Duration latencyMean = Duration.ZERO;
    private Duration latencyJitter = Duration.ZERO;
    private final Map<String, KeyBehavior> keys = new LinkedHashMap<>();
    private KeyBehavior unknownKeys = KeyBehavior.ok();
    private final Map<String, String> projectOfKey = new LinkedHashMap<>();
    private final Map<String, Quota> projects = new LinkedHashMap<>();
    private Quota quotaPerKey = Quota.unlimited();
    private final Map<Fault, Double> faultRates = new EnumMap<>(Fault.class);
    private double malformedJsonRate;
    private long seed = 42;
    private boolean keepLog = true;
    private int port;
    private java.nio.file.Path logFile;
    private final java.util.List<Storm> storms = new java.util.ArrayList<>();
    private java.util.function.LongSupplier clock = System::nanoTime;
    private final java.util.Set<String> missingModels = new java.util.LinkedHashSet<>();
    private int holdUntil;
    private BatchSchedule batchSchedule = BatchSchedule.DEFAULT;
    private Duration holdAtMost = Duration.ZERO;

    private Builder() {}

    /** Schedules a storm (see {@link Storm}); storms may overlap, the first listed wins. */
    public Builder storm(Storm storm) {
      storms.add(Objects.requireNonNull(storm, "storm"));
      return this;
    }

    /**
     * The simulator's time source in nanoseconds, for storm windows (quotas keep the real clock).
     * Default {@link System#nanoTime}; a test passes the engine's fake clock to run a storm of
     * minutes in no time.
     */
    public Builder clock(java.util.function.LongSupplier nanoTime) {
      this.clock = Objects.requireNonNull(nanoTime, "nanoTime");
      return this;
    }

    /**
     * How batch jobs progress: PENDING for {@code pending}, RUNNING for {@code running} on the
     * simulator's {@link #clock}, then SUCCEEDED. Default 1 s and 2 s.
     */
    public Builder batchTiming(Duration pending, Duration running) {
      this.batchSchedule = new BatchSchedule(pending, running, batchSchedule.ends());
      return this;
    }

    /**
     * The first batch jobs created end in these states, in order (FAILED, EXPIRED, ...); later ones
     * succeed.
     */
    public Builder batchEnds(BatchSchedule.End... ends) {
      this.batchSchedule =
          new BatchSchedule(batchSchedule.pending(), batchSchedule.running(), List.of(ends));
      return this;
    }

    /**
     * generateContent for this model answers 404 NOT_FOUND, as the real API does for a model that
     * does not exist; {@code "*"}: every model Gemini does not serve.
     */
    public Builder missingModel(String model) {
      if (model == null || model.isBlank())
        throw new IllegalArgumentException("model must not be blank");
      missingModels.add(model.strip());
      return this;
    }

    /** Every answer takes {@code mean} ± {@code jitter} (uniform). Default: no latency. */
    public Builder latency(Duration mean, Duration jitter) {
      requireNonNegative(mean, "latency mean");
      requireNonNegative(jitter, "latency jitter");
      if (jitter.compareTo(mean) > 0)
        throw new IllegalArgumentException(
            "latency jitter must be <= mean, was " + jitter + " > " + mean);
      this.latencyMean = mean;
      this.latencyJitter = jitter;
      return this;
    }

    public Builder key(String key, KeyBehavior behavior) {
      keys.put(requireKey(key), Objects.requireNonNull(behavior, "behavior"));
      return this;
    }

    /**
     * How keys never named with {@link #key} behave. Default: {@link KeyBehavior#ok()}, like a
     * sandbox.
     */
    public Builder unknownKeys(KeyBehavior behavior) {
      this.unknownKeys = Objects.requireNonNull(behavior, "behavior");
      return this;
    }

    /** Groups keys into one project whose quota they share, as in the real API. */
    public Builder project(String name, Quota quota, String... projectKeys) {
      if (name == null || name.isBlank())
        throw new IllegalArgumentException("project name must not be blank");
      projects.put(name, Objects.requireNonNull(quota, "quota"));
      for (String k : projectKeys) {
        projectOfKey.put(requireKey(k), name);
        keys.putIfAbsent(k, KeyBehavior.ok());
      }
      return this;
    }

    /**
     * The quota of each key that is in no {@link #project}: every such key is a project of its own.
     */
    public Builder quotaPerKey(Quota quota) {
      this.quotaPerKey = Objects.requireNonNull(quota, "quota");
      return this;
    }

    /** Injects {@code fault} into this fraction of requests (0..1), chosen at random. */
    public Builder faultRate(Fault fault, double rate) {
      faultRates.put(Objects.requireNonNull(fault, "fault"), requireRate(rate, "fault rate"));
      return this;
    }

    /** In JSON mode, this fraction of answers is broken the way models break JSON. Default 0. */
    public Builder malformedJsonRate(double rate) {
      this.malformedJsonRate = requireRate(rate, "malformed JSON rate");
      return this;
    }

    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** Keep the in-memory request log. Default true; turn off for very long runs. */
    public Builder keepLog(boolean keep) {
      this.keepLog = keep;
      return this;
    }

    /** Port on 127.0.0.1; 0 (the default) picks a free one. */
    public Builder port(int port) {
      if (port < 0 || port > 65535)
        throw new IllegalArgumentException("port must be 0..65535, was " + port);
      this.port = port;
      return this;
    }

    /**
     * Also appends every request to this JSON Lines file (time, key's last four characters, model,
     * status, outcome).
     */
    public Builder logFile(java.nio.file.Path file) {
      this.logFile = Objects.requireNonNull(file, "file");
      return this;
    }

    /**
     * Holds the first answers until {@code requests} are being answered at once, then answers them
     * all; waits at most {@code atMost} from each arrival. For tests that prove how many requests a
     * client keeps in flight.
     */
    public Builder holdAnswersUntil(int requests, Duration atMost) {
      if (requests < 1)
        throw new IllegalArgumentException("requests must be >= 1, was " + requests);
      requireNonNegative(atMost, "atMost");
      this.holdUntil = requests;
      this.holdAtMost = atMost;
      return this;
    }

    public Simulator start() {
      SimConfig config =
          new SimConfig(
              latencyMean,
              latencyJitter,
              Map.copyOf(keys),
              unknownKeys,
              Map.copyOf(projectOfKey),
              Map.copyOf(projects),
              quotaPerKey,
              Map.copyOf(faultRates),
              malformedJsonRate,
              seed,
              keepLog,
              List.copyOf(storms),
              clock,
              java.util.Set.copyOf(missingModels),
              batchSchedule);
      Simulator sim = new Simulator(config, port, logFile);
      if (holdUntil > 0)
        sim.handler.gate(new Gate(holdUntil, holdAtMost)); // one gate per simulator
      return sim;
    }

    private static String requireKey(String key) {
      if (key == null || key.isBlank()) throw new IllegalArgumentException("key must not be blank");
      return key;
    }

    private static void requireNonNegative(Duration d, String what) {
      if (d == null || d.isNegative())
        throw new IllegalArgumentException(what + " must be >= 0, was " + d);
    }

    private static double requireRate(double rate, String what) {
      if (!(rate >= 0 && rate <= 1))
        throw new IllegalArgumentException(what + " must be in 0..1, was " + rate);
      return rate;
    }
  }
}
