package dev.gkr;

import java.time.Duration;

/**
 * A project's declared quota, as Google publishes it per model and tier: requests and input tokens
 * per window (a minute in the real API) and requests per day; 0 means unlimited. From it gkr
 * derives the pacing shared by the project's keys, so no request is sent that the quota would
 * refuse.
 *
 * <pre>{@code Rotator.keys(k1, k2).project("p1", k1, k2).limits(Limits.rpm(10).rpd(250))}</pre>
 */
public record Limits(int requests, Duration window, int requestsPerDay, int tokensPerWindow) {

  public Limits {
    if (requests < 0) throw new IllegalArgumentException("requests must be >= 0, was " + requests);
    if (tokensPerWindow < 0)
      throw new IllegalArgumentException("tokens must be >= 0, was " + tokensPerWindow);
    if (requestsPerDay < 0)
      throw new IllegalArgumentException("requests per day must be >= 0, was " + requestsPerDay);
    if (window == null || window.isNegative() || window.isZero())
      throw new IllegalArgumentException("window must be > 0, was " + window);
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
    return new Limits(requests, window, requestsPerDay, tokensPerWindow);
  }

  /**
   * Also at most this many input tokens per window (per minute with {@link #rpm}). Before a request
   * gkr reserves its estimated input tokens (about four bytes a token) and corrects the estimate
   * with the answer's {@code promptTokenCount}.
   */
  public Limits tpm(int tokens) {
    return new Limits(requests, window, requestsPerDay, tokens);
  }

  /** Only tokens per minute, no request limit. */
  public static Limits tokensPerMinute(int tokens) {
    return new Limits(0, Duration.ofMinutes(1), 0, tokens);
  }

  @Override
  public String toString() {
    String w = window.equals(Duration.ofMinutes(1)) ? "minute" : Durations.format(window);
    return (requests == 0 ? "unlimited requests" : requests + " per " + w)
        + (requestsPerDay == 0 ? "" : ", " + requestsPerDay + " per day")
        + (tokensPerWindow == 0 ? "" : ", " + tokensPerWindow + " tokens per " + w);
  }
}
