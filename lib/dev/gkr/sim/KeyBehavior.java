package dev.gkr.sim;

import java.time.Duration;
import java.util.Objects;

/**
 * How the simulator treats one API key. Immutable; build with the static factories.
 *
 * <pre>{@code
 * Simulator.builder().key("k-bad", KeyBehavior.invalid()).key("k-late", KeyBehavior.suspendedAfter(5))
 * }</pre>
 */
public record KeyBehavior(Kind kind, int afterRequests, Duration retryDelay, String model) {

  /** What the key does. */
  public enum Kind {
    /** Answers normally (subject to its project's quota). */
    OK,
    /** 400 INVALID_ARGUMENT with ErrorInfo.reason API_KEY_INVALID. */
    INVALID,
    /**
     * 403 PERMISSION_DENIED with ErrorInfo.reason CONSUMER_SUSPENDED, after {@code afterRequests}
     * good answers.
     */
    SUSPENDED,
    /** 403 PERMISSION_DENIED without a suspension (e.g. the API is disabled for the project). */
    PERMISSION_DENIED,
    /**
     * Its first {@code afterRequests} requests get a per-minute 429 with {@code retryDelay}, then
     * OK.
     */
    RATE_LIMITED,
    /** Every request gets a per-day 429 with retryDelay "0s". */
    DAILY_LIMIT_REACHED,
    /**
     * 403 PERMISSION_DENIED for {@code model} only (the key's project may not use that model);
     * every other model answers normally.
     */
    MODEL_DENIED
  }

  public KeyBehavior {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(retryDelay, "retryDelay");
    Objects.requireNonNull(model, "model");
    if (afterRequests < 0)
      throw new IllegalArgumentException("afterRequests must be >= 0, was " + afterRequests);
    if ((kind == Kind.MODEL_DENIED) == model.isBlank())
      throw new IllegalArgumentException("a model is named for MODEL_DENIED, and only for it");
  }

  /** A behaviour that concerns every model. */
  public KeyBehavior(Kind kind, int afterRequests, Duration retryDelay) {
    this(kind, afterRequests, retryDelay, "");
  }

  public static KeyBehavior ok() {
    return new KeyBehavior(Kind.OK, 0, Duration.ZERO);
  }

  public static KeyBehavior invalid() {
    return new KeyBehavior(Kind.INVALID, 0, Duration.ZERO);
  }

  public static KeyBehavior suspended() {
    return suspendedAfter(0);
  }

  /** Answers {@code goodRequests} requests, then is suspended for good. */
  public static KeyBehavior suspendedAfter(int goodRequests) {
    return new KeyBehavior(Kind.SUSPENDED, goodRequests, Duration.ZERO);
  }

  public static KeyBehavior permissionDenied() {
    return new KeyBehavior(Kind.PERMISSION_DENIED, 0, Duration.ZERO);
  }

  /** The first {@code requests} requests get a per-minute 429 carrying {@code retryDelay}. */
  public static KeyBehavior rateLimitedFirst(int requests, Duration retryDelay) {
    return new KeyBehavior(Kind.RATE_LIMITED, requests, retryDelay);
  }

  /** 403 PERMISSION_DENIED for {@code model}; other models answer. */
  public static KeyBehavior modelDenied(String model) {
    return new KeyBehavior(Kind.MODEL_DENIED, 0, Duration.ZERO, model);
  }

  public static KeyBehavior dailyLimitReached() {
    return new KeyBehavior(Kind.DAILY_LIMIT_REACHED, 0, Duration.ZERO);
  }
}
