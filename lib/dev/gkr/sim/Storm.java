package dev.gkr.sim;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A time window in which the simulator answers every key, or a fraction of the keys, with one kind
 * of throttling instead of its normal answer: the storms real users meet. Times count from the
 * simulator's start on its clock ({@link Simulator.Builder#clock}), so tests can run a two-minute
 * storm in fake time, or from the first request it answers ({@link #countedFromFirstRequest()}).
 *
 * <pre>
 * {@code Simulator.builder().storm(Storm.of(Storm.Kind.OVERLOADED, Duration.ofSeconds(10), Duration.ofMinutes(2)))}
 * </pre>
 *
 * @param fraction the share of keys affected (0..1], chosen by a stable hash of the key
 * @param model the one model the storm hits (another model answers as usual), or empty: every model
 * @param fromFirstRequest {@code from} counts from the first model call the simulator answers (past
 *     the key check), not from its start: a storm after a first stretch of real work, however long
 *     the client took to start
 */
public record Storm(
    Kind kind,
    Duration from,
    Duration length,
    double fraction,
    String model,
    boolean fromFirstRequest) {

  /** What the affected keys get during the storm. */
  public enum Kind {
    /** 503 UNAVAILABLE "The model is overloaded". */
    OVERLOADED,
    /**
     * 429 for the per-minute request quota, with RetryInfo: as when many keys share one IP or
     * capacity pool.
     */
    MINUTE_429,
    /** 429 RESOURCE_EXHAUSTED without any details: shared capacity. */
    CAPACITY_429,
    /** 429 RESOURCE_EXHAUSTED without any details, for a spend cap over a rolling window. */
    SPEND_429,
    /** 429 listing a per-minute, a per-day and an input-token violation at once. */
    MULTI_VIOLATION_429,
    /** 429 for input tokens per minute only. */
    TOKEN_429
  }

  public Storm {
    Objects.requireNonNull(kind, "kind");
    model = model == null ? "" : model.strip();
    if (from == null || from.isNegative())
      throw new IllegalArgumentException("storm from must be >= 0, was " + from);
    if (length == null || length.isNegative() || length.isZero())
      throw new IllegalArgumentException("storm length must be > 0, was " + length);
    if (!(fraction > 0 && fraction <= 1))
      throw new IllegalArgumentException("storm fraction must be in (0, 1], was " + fraction);
  }

  public Storm(Kind kind, Duration from, Duration length, double fraction) {
    this(kind, from, length, fraction, "", false);
  }

  public Storm(Kind kind, Duration from, Duration length, double fraction, String model) {
    this(kind, from, length, fraction, model, false);
  }

  /** Every key, from {@code from} for {@code length}. */
  public static Storm of(Kind kind, Duration from, Duration length) {
    return new Storm(kind, from, length, 1.0);
  }

  /** The same storm for only this share of the keys. */
  public Storm fraction(double share) {
    return new Storm(kind, from, length, share, model, fromFirstRequest);
  }

  /** The same storm on {@code name} only: the simulator's other models answer through it. */
  public Storm model(String name) {
    return new Storm(kind, from, length, fraction, name, fromFirstRequest);
  }

  /** The same storm, its {@code from} counted from the first model call the simulator answers. */
  public Storm countedFromFirstRequest() {
    return new Storm(kind, from, length, fraction, model, true);
  }

  boolean hits(long sinceStartNanos, String key, String asked) {
    if (!model.isEmpty() && !model.equals(asked)) return false;
    if (sinceStartNanos < from.toNanos() || sinceStartNanos >= from.plus(length).toNanos())
      return false;
    return fraction >= 1 || Math.floorMod(key.hashCode(), 1000) < fraction * 1000;
  }

  /** The HTTP status the API answers a request that this storm hits. */
  int status() {
    return kind == Kind.OVERLOADED ? 503 : 429;
  }

  /** The error body the API answers a request of {@code model} that this storm hits. */
  JsonNode errorBody(String model) {
    return switch (kind) {
      case OVERLOADED -> Envelopes.error(503, "UNAVAILABLE", Fault.UNAVAILABLE.message);
      case MINUTE_429 ->
          Envelopes.rateLimited(Envelopes.PER_MINUTE, model, 10, Duration.ofSeconds(2));
      case CAPACITY_429 -> Envelopes.throttled(false);
      case SPEND_429 -> Envelopes.throttled(true);
      case MULTI_VIOLATION_429 ->
          Envelopes.violations(
              List.of(Envelopes.PER_MINUTE, Envelopes.PER_DAY, Envelopes.TOKENS_PER_MINUTE),
              model,
              10,
              Duration.ofSeconds(2));
      case TOKEN_429 ->
          Envelopes.rateLimited(Envelopes.TOKENS_PER_MINUTE, model, 250_000, Duration.ofSeconds(2));
    };
  }
}
