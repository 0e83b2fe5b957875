package dev.gkr.internal.table;

import dev.gkr.ErrorType;
import dev.gkr.Outcome;
import dev.gkr.RotatorEvent;
import dev.gkr.internal.common.ApiKey;
import dev.gkr.internal.common.Numbers;
import dev.gkr.internal.cost.PriceTier;
import java.time.Duration;
import java.time.Instant;

/**
 * The final result of one task: one row of the results table (without the task's own columns).
 * {@code costUsd} is what every answer of the task cost (NaN when a price was unknown); {@code
 * serviceTier} the tier its last answer was billed at ({@code standard}, {@code flex}, {@code
 * batch}), empty when nothing was billed.
 */
public record TaskResult(
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
    String model,
    String modelVersion,
    double costUsd,
    String serviceTier) {

  /** This result with the task's bill. */
  public TaskResult withCost(double usd, PriceTier tier) {
    return toBuilder().costUsd(usd).serviceTier(tier == null ? "" : tier.code()).build();
  }

  /** This result with the model its last request asked (a run with fallbacks asks several). */
  public TaskResult withModel(String asked) {
    return toBuilder().model(asked).build();
  }

  /** The event that tells listeners this task has its final result. */
  public RotatorEvent.TaskDone doneEvent(Instant time) {
    return new RotatorEvent.TaskDone(
        time,
        id,
        success,
        attempts,
        key,
        slot,
        Duration.ofMillis(latencyMs),
        ErrorType.ofCode(errorType));
  }

  /** A success whose answer hit maxOutputTokens (kept in text mode, or with acceptTruncated). */
  public boolean truncated() {
    return success && "MAX_TOKENS".equals(finishReason);
  }

  public static TaskResult success(
      String id, Outcome.Success s, int attempts, ApiKey key, int slot, String json) {
    return builder(id)
        .success(true)
        .response(s.text())
        .attempt(attempts, key.display(), slot, s.latency().toMillis())
        .finishReason(s.finishReason())
        .promptTokens(s.promptTokens())
        .outputTokens(s.outputTokens())
        .json(json)
        .thoughtsTokens(s.thoughtsTokens())
        .cachedTokens(s.cachedTokens())
        .totalTokens(s.totalTokens())
        .modelVersion(s.modelVersion())
        .build();
  }

  /** A failed row: no answer counted, no bill yet ({@link #withCost} adds it). */
  public static TaskResult failure(
      String id, Outcome.Failure f, String response, int attempts, ApiKey key, int slot) {
    return failed(id, f.type(), f.summary())
        .response(response)
        .attempt(attempts, key.display(), slot, f.latency().toMillis())
        .build();
  }

  private static Builder failed(String id, ErrorType type, String error) {
    return builder(id).errorType(type.code()).error(error);
  }

  /**
   * A task left undone because the run reached maxCost: cancelled (not checkpointed), redone by a
   * rerun.
   */
  public static TaskResult overBudget(String id, double cap, Outcome.Failure last, int attempts) {
    String error =
        "the run reached max cost " + Numbers.usd(cap) + "; raise it and run again to resume";
    if (last != null) error += "; last error: " + last.summary();
    return failed(id, ErrorType.CANCELLED, error).attempts(attempts).build();
  }

  /**
   * A task the run could not finish: {@code type} is no_usable_keys, overloaded, model_not_found,
   * connection (Gemini out of reach) or cancelled.
   */
  public static TaskResult unfinished(
      String id, ErrorType type, Outcome.Failure last, int attempts) {
    String why =
        switch (type) {
          case NO_USABLE_KEYS -> "no usable key was left";
          case OVERLOADED ->
              "the run was throttled by a storm for longer than maxWait; run again to resume";
          case MODEL_NOT_FOUND -> "the model was not found; nothing more was sent";
          case CONNECTION -> "Gemini could not be reached; nothing more was sent";
          default -> "the run was stopped";
        };
    String error = last == null ? why : why + "; last error: " + last.summary();
    return failed(id, type, error).attempts(attempts).build();
  }

  public static Builder builder(String id) {
    return new Builder(id);
  }

  Builder toBuilder() {
    return builder(id)
        .success(success)
        .response(response)
        .errorType(errorType)
        .error(error)
        .attempt(attempts, key, slot, latencyMs)
        .finishReason(finishReason)
        .promptTokens(promptTokens)
        .outputTokens(outputTokens)
        .json(json)
        .thoughtsTokens(thoughtsTokens)
        .cachedTokens(cachedTokens)
        .totalTokens(totalTokens)
        .model(model)
        .modelVersion(modelVersion)
        .costUsd(costUsd)
        .serviceTier(serviceTier);
  }

  /**
   * Builds a result field by field (the factories above and the checkpoint reader): text left unset
   * is empty, numbers 0, so a new field needs no change at the places that do not know it.
   */
  public static final class Builder {
    private String id;
    private boolean success;
    private String response = "", errorType = "", error = "", key = "", finishReason = "";
    private String json = "", model = "", modelVersion = "", serviceTier = "";
    private int attempts, slot, promptTokens, outputTokens, thoughtsTokens, cachedTokens;
    private int totalTokens;
    private long latencyMs;
    private double costUsd;

    private Builder(String id) {
      this.id = id;
    }

    public Builder id(String id) {
      this.id = id;
      return this;
    }

    public Builder success(boolean success) {
      this.success = success;
      return this;
    }

    public Builder response(String text) {
      this.response = text;
      return this;
    }

    public Builder errorType(String code) {
      this.errorType = code;
      return this;
    }

    public Builder error(String message) {
      this.error = message;
      return this;
    }

    public Builder attempts(int attempts) {
      this.attempts = attempts;
      return this;
    }

    public Builder key(String display) {
      this.key = display;
      return this;
    }

    public Builder slot(int slot) {
      this.slot = slot;
      return this;
    }

    public Builder latencyMs(long millis) {
      this.latencyMs = millis;
      return this;
    }

    /** The last attempt: how many there were, its key (shown, never whole), slot and latency. */
    public Builder attempt(int attempts, String key, int slot, long latencyMs) {
      return attempts(attempts).key(key).slot(slot).latencyMs(latencyMs);
    }

    public Builder finishReason(String reason) {
      this.finishReason = reason;
      return this;
    }

    public Builder promptTokens(int n) {
      this.promptTokens = n;
      return this;
    }

    public Builder outputTokens(int n) {
      this.outputTokens = n;
      return this;
    }

    public Builder thoughtsTokens(int n) {
      this.thoughtsTokens = n;
      return this;
    }

    public Builder cachedTokens(int n) {
      this.cachedTokens = n;
      return this;
    }

    public Builder totalTokens(int n) {
      this.totalTokens = n;
      return this;
    }

    public Builder json(String json) {
      this.json = json;
      return this;
    }

    public Builder model(String asked) {
      this.model = asked;
      return this;
    }

    public Builder modelVersion(String version) {
      this.modelVersion = version;
      return this;
    }

    /** What the task's answers cost: NaN when a price was unknown. */
    public Builder costUsd(double usd) {
      this.costUsd = usd;
      return this;
    }

    /** The tier code its last answer was billed at, empty when nothing was billed. */
    public Builder serviceTier(String tier) {
      this.serviceTier = tier;
      return this;
    }

    public TaskResult build() {
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
          model,
          modelVersion,
          costUsd,
          serviceTier);
    }
  }
}
