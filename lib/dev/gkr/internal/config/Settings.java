package dev.gkr.internal.config;

import dev.gkr.ErrorType;
import dev.gkr.Limits;
import dev.gkr.Mode;
import dev.gkr.RotatorEvent;
import dev.gkr.internal.common.ApiKey;
import dev.gkr.internal.common.Clock;
import dev.gkr.internal.cost.PriceTier;
import dev.gkr.internal.cost.Prices;
import dev.gkr.internal.keys.ParkedKeys;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Everything a run needs, copied from {@link Rotator} when the run starts; never changes
 * afterwards.
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
    Optional<Path> errorLog,
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
    Optional<Double> maxCost) {

  /**
   * {@link #transientRetries} when the user set none: only 5xx other than 503 are counted, 5 at
   * most.
   */
  public static final int TRANSIENT_RETRIES_UNSET = -1;

  private static final int SERVER_ERROR_RETRIES = 5;

  /**
   * How many transient errors of this type a task may meet (outside a run-wide storm) before it
   * fails; the {@link #maxWait} budget applies besides. Overload, timeouts and connection errors
   * are limited by time alone unless the user set a count; a 500 that repeats for one prompt is
   * usually that prompt's, so it keeps a count.
   */
  public int transientCap(ErrorType type) {
    if (transientRetries != TRANSIENT_RETRIES_UNSET) return transientRetries;
    return type == ErrorType.SERVER_ERROR ? SERVER_ERROR_RETRIES : Integer.MAX_VALUE;
  }

  /**
   * The rest of the request (issue 16): the effective generationConfig (never mutated after the run
   * starts), safety settings, whether a cut-off JSON answer is accepted, whether any of it differs
   * from the defaults, and the directory relative {@code files} paths are read from.
   */
  public record RequestSettings(
      com.fasterxml.jackson.databind.node.ObjectNode generationConfig,
      List<com.google.genai.types.SafetySetting> safety,
      boolean acceptTruncated,
      boolean plain,
      long inlineLimit,
      Path filesDir) {}

  /**
   * These settings for a plan replay: the same keys, projects and request, with time compressed
   * {@code speedup} times (pacing and quota windows), against another endpoint, synchronous, and
   * nothing written (no checkpoint, error log or listeners). The one place a run's settings are
   * derived from another's: the record's constructor names every component, so a new setting cannot
   * be dropped here unnoticed.
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
        Optional.empty(),
        json,
        gracePeriod,
        List.of(),
        clock,
        projectOfKey,
        limits.map(l -> l.compressed(speedup)),
        maxWait,
        runThrottle,
        request,
        batch.withMode(Mode.SYNC),
        prices,
        serviceTier,
        Optional.empty()); // synchronous, no budget
  }

  /** Whether answers are JSON, with which schema, and whether objects become columns. */
  public record JsonMode(boolean enabled, Optional<String> schema, boolean flatten) {
    public static final JsonMode OFF = new JsonMode(false, Optional.empty(), false);
  }

  /**
   * Where keys whose daily quota is spent are remembered until midnight Pacific: beside the
   * checkpoint.
   */
  public Optional<Path> parkedFile() {
    return checkpoint.map(ParkedKeys::besides);
  }

  public int slotCount() {
    return keys.size() * slotsPerKey;
  }
}
