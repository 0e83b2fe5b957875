package dev.gkr;

/**
 * The final result of one task: one row of the results table (without the task's own columns).
 * {@code costUsd} is what every answer of the task cost (NaN when a price was unknown); {@code
 * serviceTier} the tier its last answer was billed at ({@code standard}, {@code flex}, {@code
 * batch}), empty when nothing was billed.
 */
record TaskResult(
    String id,
    boolean success,
    String response,
    String errorType,
    String error,
    int attempts,
    String key,
    int slot,
    long latencyMs,
    String finishReason,
    int promptTokens,
    int outputTokens,
    String json,
    int thoughtsTokens,
    int cachedTokens,
    int totalTokens,
    String modelVersion,
    double costUsd,
    String serviceTier) {

  /** This result with the task's bill. */
  TaskResult withCost(double usd, PriceTier tier) {
    return new TaskResult(
        id,
        success,
        response,
        errorType,
        error,
        attempts,
        key,
        slot,
        latencyMs,
        finishReason,
        promptTokens,
        outputTokens,
        json,
        thoughtsTokens,
        cachedTokens,
        totalTokens,
        modelVersion,
        usd,
        tier == null ? "" : tier.code());
  }

  /** A success whose answer hit maxOutputTokens (kept in text mode, or with acceptTruncated). */
  boolean truncated() {
    return success && "MAX_TOKENS".equals(finishReason);
  }

  static TaskResult success(
      String id, Outcome.Success s, int attempts, ApiKey key, int slot, String json) {
    return new TaskResult(
        id,
        true,
        s.text(),
        "",
        "",
        attempts,
        key.display(),
        slot,
        s.latency().toMillis(),
        s.finishReason(),
        s.promptTokens(),
        s.outputTokens(),
        json,
        s.thoughtsTokens(),
        s.cachedTokens(),
        s.totalTokens(),
        s.modelVersion(),
        0,
        "");
  }

  static TaskResult failure(
      String id, Outcome.Failure f, String response, int attempts, ApiKey key, int slot) {
    return failed(
        id,
        f.type().code(),
        f.summary(),
        response,
        attempts,
        key.display(),
        slot,
        f.latency().toMillis());
  }

  /** A failed row: no answer counted, no bill yet ({@link #withCost} adds it). */
  private static TaskResult failed(
      String id,
      String errorType,
      String error,
      String response,
      int attempts,
      String key,
      int slot,
      long latencyMs) {
    return new TaskResult(
        id, false, response, errorType, error, attempts, key, slot, latencyMs, "", 0, 0, "", 0, 0,
        0, "", 0, "");
  }

  /**
   * A task left undone because the run reached maxCost: cancelled (not checkpointed), redone by a
   * rerun.
   */
  static TaskResult overBudget(String id, double cap, Outcome.Failure last, int attempts) {
    String error =
        "the run reached max cost " + Prices.format(cap) + "; raise it and run again to resume";
    if (last != null) error += "; last error: " + last.summary();
    return failed(id, ErrorType.CANCELLED.code(), error, "", attempts, "", 0, 0);
  }

  /**
   * A task the run could not finish: {@code type} is no_usable_keys, overloaded, model_not_found or
   * cancelled.
   */
  static TaskResult unfinished(String id, ErrorType type, Outcome.Failure last, int attempts) {
    String why =
        switch (type) {
          case NO_USABLE_KEYS -> "no usable key was left";
          case OVERLOADED ->
              "the run was throttled by a storm for longer than maxWait; run again to resume";
          case MODEL_NOT_FOUND -> "the model was not found; nothing more was sent";
          default -> "the run was stopped";
        };
    String error = last == null ? why : why + "; last error: " + last.summary();
    return failed(id, type.code(), error, "", attempts, "", 0, 0);
  }
}
