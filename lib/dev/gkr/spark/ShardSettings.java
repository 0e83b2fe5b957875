package dev.gkr.spark;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.genai.types.SafetySetting;
import dev.gkr.Limits;
import dev.gkr.Mode;
import dev.gkr.Rotator;
import dev.gkr.RotatorEvent;
import dev.gkr.internal.common.ApiKey;
import dev.gkr.internal.common.Clock;
import dev.gkr.internal.common.Json;
import dev.gkr.internal.config.BatchOptions;
import dev.gkr.internal.config.Fallbacks;
import dev.gkr.internal.config.JsonMode;
import dev.gkr.internal.config.Settings;
import dev.gkr.internal.cost.PriceTier;
import dev.gkr.internal.cost.Prices;
import java.io.Serializable;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A rotator's settings in a form that travels to the executors: Java-serialisable, keys {@link
 * SealedKeys sealed}, and without what belongs to the driver (listeners, clock, checkpoint file).
 * Each shard rebuilds from it the {@link Settings} of a run over its own projects' keys. Components
 * are copied from {@link Settings} by name in {@link #of(Settings)} and back in {@link #forShard},
 * the one pair of places to extend when {@link Settings} grows. Immutable.
 */
final class ShardSettings implements Serializable {
  private static final long serialVersionUID = 1L;

  private final SealedKeys keys;
  private final String[] labels;
  private final String[] projectOfKey;
  private final String model;
  private final int slotsPerKey;
  private final Duration every;
  private final String systemInstruction;
  private final Double temperature;
  private final int maxRetries;
  private final int transientRetries;
  private final int maxConsecutiveRateLimits;
  private final Duration timeout;
  private final String baseUrl;
  private final boolean retryFailed;
  private final boolean json;
  private final String jsonSchema;
  private final Class<?> jsonType; // json(Class): the record the answers bind to
  private final Duration gracePeriod;
  private final int[] limits; // requests, requestsPerDay, tokensPerWindow; null: none
  private final Duration limitsWindow;

  /** The limits declared per model, as {@link #limits} and {@link #limitsWindow} each. */
  private final java.util.TreeMap<String, int[]> modelLimits = new java.util.TreeMap<>();

  private final java.util.TreeMap<String, Duration> modelWindows = new java.util.TreeMap<>();
  private final Duration maxWait;
  private final boolean runThrottle;
  private final String generationConfig;
  private final String[] safety;
  private final boolean acceptTruncated;
  private final boolean plain;
  private final long inlineLimit;
  private final String filesDir;
  private final String filesRoot;
  private final String[] context; // shared context files, read on the executors like task files
  private final dev.gkr.internal.cost.CacheMode cache; // each shard decides for its own tasks
  private final Mode batchMode;
  private final int batchJobs;
  private final boolean cancelJobs;
  private final Duration firstPoll;
  private final Duration maxPoll;
  private final long inlineBytes;
  private final Duration batchDeadline;
  private final Prices prices;
  private final PriceTier serviceTier;
  private final Double maxCost;
  private final int expectedOutputTokens;
  private final String[] fallbackModels;
  private final Duration fallbackAfter;

  private ShardSettings(Settings s) {
    keys = new SealedKeys(s.keys().stream().map(ApiKey::secret).toList());
    labels = s.keys().stream().map(k -> "key-" + (k.index() + 1)).toArray(String[]::new);
    projectOfKey = s.projectOfKey().toArray(String[]::new);
    model = s.model();
    slotsPerKey = s.slotsPerKey();
    every = s.every();
    systemInstruction = s.systemInstruction().orElse(null);
    temperature = s.temperature().orElse(null);
    maxRetries = s.maxRetries();
    transientRetries = s.transientRetries();
    maxConsecutiveRateLimits = s.maxConsecutiveRateLimits();
    timeout = s.timeout();
    baseUrl = s.endpoint(System.getenv()).orElse(null); // the driver's GOOGLE_GEMINI_BASE_URL too
    retryFailed = s.retryFailed();
    json = s.json().enabled();
    jsonSchema = s.json().schema().orElse(null);
    jsonType = s.json().type().orElse(null);
    gracePeriod = s.gracePeriod();
    limits =
        s.limits()
            .map(l -> new int[] {l.requests(), l.requestsPerDay(), l.tokensPerWindow()})
            .orElse(null);
    limitsWindow = s.limits().map(Limits::window).orElse(null);
    s.limits()
        .ifPresent(
            all ->
                all.models()
                    .forEach(
                        (m, l) -> {
                          modelLimits.put(
                              m, new int[] {l.requests(), l.requestsPerDay(), l.tokensPerWindow()});
                          modelWindows.put(m, l.window());
                        }));
    maxWait = s.maxWait();
    runThrottle = s.runThrottle();
    Settings.RequestSettings r = s.request();
    generationConfig = r.generationConfig().toString();
    safety = r.safety().stream().map(SafetySetting::toJson).toArray(String[]::new);
    acceptTruncated = r.acceptTruncated();
    plain = r.plain();
    inlineLimit = r.inlineLimit();
    filesDir = r.filesDir().toString();
    filesRoot = r.filesRoot().map(Path::toString).orElse(null);
    context = r.context().stream().map(Path::toString).toArray(String[]::new);
    cache = r.cache();
    BatchOptions b = s.batch();
    batchMode = b.mode();
    batchJobs = b.jobs();
    cancelJobs = b.cancelJobs();
    firstPoll = b.firstPoll();
    maxPoll = b.maxPoll();
    inlineBytes = b.inlineBytes();
    batchDeadline = b.deadline().orElse(null);
    prices = s.prices();
    serviceTier = s.serviceTier().orElse(null);
    maxCost = s.maxCost().orElse(null);
    expectedOutputTokens = s.expectedOutputTokens();
    fallbackModels = s.fallbacks().models().toArray(String[]::new);
    fallbackAfter = s.fallbacks().after();
  }

  /** A copy of what a run of {@code rotator} would start with, taken now. */
  static ShardSettings of(Rotator rotator) {
    return of(settingsOf(rotator));
  }

  static ShardSettings of(Settings settings) {
    return new ShardSettings(settings);
  }

  /**
   * {@code Rotator.settings()} is package-private so that the rotator's public surface stays what a
   * user types; this optional part reads it reflectively (same class loader, no module boundary).
   */
  private static Settings settingsOf(Rotator rotator) {
    try {
      Method m = Rotator.class.getDeclaredMethod("settings");
      m.setAccessible(true);
      return (Settings) m.invoke(rotator);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof RuntimeException re) throw re;
      throw new IllegalStateException(e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("this gkr has no Rotator.settings(): " + e, e);
    }
  }

  /** The projects, in the order their first key was given; a key in no project is its own. */
  List<String> projects() {
    return List.copyOf(new LinkedHashSet<>(List.of(projectOfKey)));
  }

  /**
   * The shards of these settings: {@code wanted} of them (0: one per project), each project
   * weighing as one unit when limits are declared (they are per project), else as its keys.
   */
  Sharding sharding(int wanted) {
    List<String> projects = projects();
    List<Integer> units = new ArrayList<>();
    for (String p : projects)
      units.add(
          limits != null ? 1 : (int) List.of(projectOfKey).stream().filter(p::equals).count());
    return Sharding.of(wanted, projects, units);
  }

  boolean json() {
    return json;
  }

  /** The run's cost cap, if one is set (split across shards by their task counts). */
  Optional<Double> maxCost() {
    return Optional.ofNullable(maxCost);
  }

  /**
   * The settings of shard {@code shard}: the keys of its projects only (each keeps its label, so a
   * result's {@code key} reads as in a local run), the shard's checkpoint and cost cap, these
   * listeners, the system clock.
   */
  Settings forShard(
      Sharding sharding,
      int shard,
      Optional<Path> checkpoint,
      Optional<Double> cap,
      List<Consumer<RotatorEvent>> listeners) {
    List<String> secrets = keys.open();
    List<ApiKey> apiKeys = new ArrayList<>();
    List<String> projects = new ArrayList<>();
    for (int i = 0; i < secrets.size(); i++) {
      if (sharding.shardOfProject(projectOfKey[i]) != shard) continue;
      apiKeys.add(new ApiKey(secrets.get(i), labels[i], apiKeys.size()));
      projects.add(projectOfKey[i]);
    }
    Optional<Limits> lim =
        limits == null
            ? Optional.empty()
            : Optional.of(new Limits(limits[0], limitsWindow, limits[1], limits[2], modelLimits()));
    List<SafetySetting> safetySettings =
        List.of(safety).stream().map(SafetySetting::fromJson).toList();
    return new Settings(
        List.copyOf(apiKeys),
        model,
        slotsPerKey,
        every,
        Optional.ofNullable(systemInstruction),
        Optional.ofNullable(temperature),
        maxRetries,
        transientRetries,
        maxConsecutiveRateLimits,
        timeout,
        Optional.ofNullable(baseUrl),
        checkpoint,
        retryFailed,
        new JsonMode(json, Optional.ofNullable(jsonSchema), Optional.ofNullable(jsonType)),
        gracePeriod,
        List.copyOf(listeners),
        Clock.SYSTEM,
        List.copyOf(projects),
        lim,
        maxWait,
        runThrottle,
        new Settings.RequestSettings(
            parse(generationConfig),
            safetySettings,
            acceptTruncated,
            plain,
            inlineLimit,
            Path.of(filesDir),
            Optional.ofNullable(filesRoot).map(Path::of),
            List.of(context).stream().map(Path::of).toList(),
            cache),
        new BatchOptions(
            batchMode,
            batchJobs,
            cancelJobs,
            firstPoll,
            maxPoll,
            inlineBytes,
            Optional.ofNullable(batchDeadline)),
        prices,
        Optional.ofNullable(serviceTier),
        cap,
        expectedOutputTokens,
        new Fallbacks(List.of(fallbackModels), fallbackAfter));
  }

  private static ObjectNode parse(String json) {
    try {
      return (ObjectNode) Json.MAPPER.readTree(json);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("generationConfig did not survive its trip: " + e, e);
    }
  }

  @Override
  public String toString() {
    return "gkr settings (" + keys + ", " + projects().size() + " projects, model " + model + ")";
  }

  private java.util.Map<String, Limits> modelLimits() {
    java.util.Map<String, Limits> out = new java.util.TreeMap<>();
    modelLimits.forEach((m, l) -> out.put(m, new Limits(l[0], modelWindows.get(m), l[1], l[2])));
    return out;
  }
}
