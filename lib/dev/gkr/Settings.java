package dev.gkr;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/** Everything a run needs, copied from {@link Rotator} when the run starts; never changes afterwards. */
record Settings(
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
    RequestSettings request) {

  /**
   * The rest of the request (issue 16): the effective generationConfig (never mutated after the run starts),
   * safety settings, whether a cut-off JSON answer is accepted, and whether any of it differs from the defaults.
   */
  record RequestSettings(com.fasterxml.jackson.databind.node.ObjectNode generationConfig,
      List<com.google.genai.types.SafetySetting> safety, boolean acceptTruncated, boolean plain, long inlineLimit) {}

  /** Whether answers are JSON, with which schema, and whether objects become columns. */
  record JsonMode(boolean enabled, Optional<String> schema, boolean flatten) {
    static final JsonMode OFF = new JsonMode(false, Optional.empty(), false);
  }

  /** Where keys whose daily quota is spent are remembered until midnight Pacific: beside the checkpoint. */
  Optional<Path> parkedFile() {
    return checkpoint.map(ParkedKeys::besides);
  }

  int slotCount() {
    return keys.size() * slotsPerKey;
  }
}
