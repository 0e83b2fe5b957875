package dev.gkr.internal.config;

import dev.gkr.Limits;
import dev.gkr.Mode;
import dev.gkr.RotatorEvent;
import dev.gkr.internal.common.ApiKey;
import dev.gkr.internal.common.BaseUrls;
import dev.gkr.internal.common.Clock;
import dev.gkr.internal.common.SideFiles;
import dev.gkr.internal.cost.PriceTier;
import dev.gkr.internal.cost.Prices;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Everything a run needs, copied from {@code Rotator} when the run starts; never changes
 * afterwards.
 *
 * @param expectedOutputTokens output tokens per task the plan's cost estimate assumes; 0: its
 *     default
 * @param fallbacks the models asked when {@code model} is overloaded or not served
 */
public record Settings(
    List<ApiKey> keys,
    String model,
    int slotsPerKey,
    Duration every,
    Optional<String> systemInstruction,
    Optional<Double> temperature,
    int maxRetries,
    int transientRetries,
    int maxConsecutiveRateLimits,
    Duration timeout,
    Optional<String> baseUrl,
    Optional<Path> checkpoint,
    boolean retryFailed,
    JsonMode json,
    Duration gracePeriod,
    List<Consumer<RotatorEvent>> listeners,
    Clock clock,
    List<String> projectOfKey,
    Optional<Limits> limits,
    Duration maxWait,
    boolean runThrottle,
    RequestSettings request,
    BatchOptions batch,
    Prices prices,
    Optional<PriceTier> serviceTier,
    Optional<Double> maxCost,
    int expectedOutputTokens,
    Fallbacks fallbacks) {

  /**
   * The rest of the request: the effective generationConfig (never mutated after the run starts),
   * safety settings, whether a cut-off JSON answer is accepted, whether any of it differs from the
   * defaults, the directory relative {@code files} paths are read from, the one other folder they
   * may come from, the shared context files every request starts with, and whether that context
   * goes into one explicit cache per project ({@code --cache}).
   */
  public record RequestSettings(
      com.fasterxml.jackson.databind.node.ObjectNode generationConfig,
      List<com.google.genai.types.SafetySetting> safety,
      boolean acceptTruncated,
      boolean plain,
      long inlineLimit,
      Path filesDir,
      Optional<Path> filesRoot,
      List<Path> context,
      dev.gkr.internal.cost.CacheMode cache) {

    public RequestSettings {
      context = List.copyOf(context);
    }

    /** These settings with the shared context cached whenever the API takes it (tests). */
    public RequestSettings withContextCache() {
      return withCache(dev.gkr.internal.cost.CacheMode.ON);
    }

    /** These settings with another cache mode. */
    public RequestSettings withCache(dev.gkr.internal.cost.CacheMode mode) {
      return new RequestSettings(
          generationConfig,
          safety,
          acceptTruncated,
          plain,
          inlineLimit,
          filesDir,
          filesRoot,
          context,
          mode);
    }
  }

  /** These settings with another request part (see {@link RequestSettings#withContextCache}). */
  public Settings withRequest(RequestSettings r) {
    return new Settings(
        keys,
        model,
        slotsPerKey,
        every,
        systemInstruction,
        temperature,
        maxRetries,
        transientRetries,
        maxConsecutiveRateLimits,
        timeout,
        baseUrl,
        checkpoint,
        retryFailed,
        json,
        gracePeriod,
        listeners,
        clock,
        projectOfKey,
        limits,
        maxWait,
        runThrottle,
        r,
        batch,
        prices,
        serviceTier,
        maxCost,
        expectedOutputTokens,
        fallbacks);
  }

  /**
   * These settings for a plan replay: the same keys, projects and request, with time compressed
   * {@code speedup} times (pacing and quota windows), against another endpoint, synchronous, and
   * nothing written (no checkpoint, error log or listeners). Like {@link #withRequest}, it names
   * every component of the record's constructor, so a new setting cannot be dropped unnoticed.
   */
  public Settings compressed(int speedup, String endpoint) {
    return new Settings(
        keys,
        model,
        slotsPerKey,
        every.dividedBy(speedup),
        systemInstruction,
        temperature,
        maxRetries,
        transientRetries,
        maxConsecutiveRateLimits,
        timeout,
        Optional.of(endpoint),
        Optional.empty(),
        retryFailed,
        json,
        gracePeriod,
        List.of(),
        clock,
        projectOfKey,
        limits.map(l -> compressed(l, speedup)),
        maxWait,
        runThrottle,
        request,
        batch.withMode(Mode.SYNC),
        prices,
        serviceTier,
        Optional.empty(), // synchronous, no budget
        expectedOutputTokens,
        fallbacks);
  }

  /** {@code l} with every window (its models' too) shorter by {@code speedup}. */
  private static Limits compressed(Limits l, int speedup) {
    java.util.Map<String, Limits> models = new java.util.TreeMap<>();
    l.models().forEach((m, own) -> models.put(m, compressed(own, speedup)));
    return new Limits(
        l.requests(),
        l.window().dividedBy(speedup),
        l.requestsPerDay(),
        l.tokensPerWindow(),
        models);
  }

  /**
   * Where requests go: the base URL given (checked when it was given), else {@code
   * GOOGLE_GEMINI_BASE_URL} from {@code env}, checked by the same rule (no API key in clear text),
   * else Google's.
   *
   * @throws IllegalArgumentException for plain {@code http://} to a host that is not this machine
   */
  public Optional<String> endpoint(Map<String, String> env) {
    if (baseUrl.isPresent()) return baseUrl;
    String url = env.get(BaseUrls.ENV);
    if (url == null || url.isBlank()) return Optional.empty();
    return Optional.of(
        BaseUrls.check(
            url.strip(),
            BaseUrls.ENV,
            false,
            "unset it, or pass the URL to Rotator.baseUrl(url, BaseUrlOption.INSECURE)"));
  }

  /** A file gkr keeps beside the checkpoint ({@link SideFiles}), when a checkpoint is kept. */
  public Optional<Path> besideCheckpoint(String suffix) {
    return checkpoint.map(c -> SideFiles.beside(c, suffix));
  }

  /** The run's maxOutputTokens, or 0 when it sets none. */
  public int maxOutputTokens() {
    return maxOutputTokens(request.generationConfig());
  }

  /** The {@code maxOutputTokens} of a generationConfig, or 0 when it sets none: the one look-up. */
  public static int maxOutputTokens(com.fasterxml.jackson.databind.JsonNode generationConfig) {
    return generationConfig.path("maxOutputTokens").asInt(0);
  }

  /** Every model the run may ask: its own, then the fallbacks in order. */
  public List<String> models() {
    return fallbacks.chain(model);
  }

  public int slotCount() {
    return keys.size() * slotsPerKey;
  }
}
