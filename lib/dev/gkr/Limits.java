package dev.gkr;

import dev.gkr.internal.common.Durations;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * A project's declared quota, as Google publishes it per model and tier: requests and input tokens
 * per window (a minute in the real API) and requests per day; 0 means unlimited. From it gkr
 * derives the pacing shared by the project's keys, so no request is sent that the quota would
 * refuse. Gemini counts each model apart, so a run with fallback models paces each model of a
 * project by its own window: by these limits, or by the ones declared for it with {@link #model}.
 *
 * <pre>{@code
 * Rotator.keys(k1, k2).project("p1", k1, k2).limits(Limits.rpm(10).rpd(250))
 * Limits.rpm(1000).model("gemini-2.5-pro", Limits.rpm(150).rpd(10_000))
 * }</pre>
 *
 * @param models the limits of the models named (each replacing these whole for its model); empty by
 *     default
 */
public record Limits(
    int requests,
    Duration window,
    int requestsPerDay,
    int tokensPerWindow,
    Map<String, Limits> models) {

  public Limits {
    if (models == null) throw new IllegalArgumentException("models must not be null");
    for (Map.Entry<String, Limits> e : models.entrySet()) {
      if (e.getKey() == null || e.getKey().isBlank())
        throw new IllegalArgumentException("a model's limits need the model's name");
      if (e.getValue() == null || !e.getValue().models().isEmpty())
        throw new IllegalArgumentException(
            "the limits of model " + e.getKey() + " cannot name models of their own");
    }
    models = Collections.unmodifiableMap(new TreeMap<>(models));
    if (requests < 0) throw new IllegalArgumentException("requests must be >= 0, was " + requests);
    if (tokensPerWindow < 0)
      throw new IllegalArgumentException("tokens must be >= 0, was " + tokensPerWindow);
    if (requestsPerDay < 0)
      throw new IllegalArgumentException("requests per day must be >= 0, was " + requestsPerDay);
    if (window == null || window.isNegative() || window.isZero())
      throw new IllegalArgumentException("window must be > 0, was " + window);
  }

  /** Limits for every model alike. */
  public Limits(int requests, Duration window, int requestsPerDay, int tokensPerWindow) {
    this(requests, window, requestsPerDay, tokensPerWindow, Map.of());
  }

  /** Requests per minute. */
  public static Limits rpm(int requestsPerMinute) {
    return new Limits(requestsPerMinute, Duration.ofMinutes(1), 0, 0);
  }

  /** Requests per any window, e.g. for a quota measured over 10 seconds. */
  public static Limits per(int requests, Duration window) {
    return new Limits(requests, window, 0, 0);
  }

  /** Also at most this many requests per day (Pacific time, as Google counts). */
  public Limits rpd(int requestsPerDay) {
    return new Limits(requests, window, requestsPerDay, tokensPerWindow, models);
  }

  /**
   * Also at most this many input tokens per window (per minute with {@link #rpm}). Before a request
   * gkr reserves its estimated input tokens (about four bytes a token) and corrects the estimate
   * with the answer's {@code promptTokenCount}.
   */
  public Limits tpm(int tokens) {
    return new Limits(requests, window, requestsPerDay, tokens, models);
  }

  /** Only tokens per minute, no request limit. */
  public static Limits tokensPerMinute(int tokens) {
    return new Limits(0, Duration.ofMinutes(1), 0, tokens);
  }

  /**
   * These limits, and {@code limits} for {@code model} instead of them (a project's quota for that
   * model, e.g. a fallback model's); a model named again keeps the last.
   */
  public Limits model(String model, Limits limits) {
    if (model == null || model.isBlank())
      throw new IllegalArgumentException("model must not be blank");
    if (limits == null) throw new IllegalArgumentException("limits must not be null");
    Map<String, Limits> all = new TreeMap<>(models);
    all.put(model.strip(), limits);
    return new Limits(requests, window, requestsPerDay, tokensPerWindow, all);
  }

  /** The limits that hold for {@code model}: its own when declared, else these. */
  public Limits of(String model) {
    Limits own = models.get(model);
    return own != null ? own : new Limits(requests, window, requestsPerDay, tokensPerWindow);
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder(plain());
    models.forEach((m, l) -> b.append("; ").append(m).append(": ").append(l.plain()));
    return b.toString();
  }

  private String plain() {
    String w = window.equals(Duration.ofMinutes(1)) ? "minute" : Durations.format(window);
    return (requests == 0 ? "unlimited requests" : requests + " per " + w)
        + (requestsPerDay == 0 ? "" : ", " + requestsPerDay + " per day")
        + (tokensPerWindow == 0 ? "" : ", " + tokensPerWindow + " tokens per " + w);
  }
}
