package dev.gkr.sim;

import java.time.Duration;

/**
 * A project's quota in the simulator, shared by every key of the project as in the real API. {@code
 * requestsPerWindow} requests and {@code tokensPerWindow} input tokens per sliding {@code window}
 * (a minute in the real API) and {@code requestsPerDay} per run of the simulator; 0 means
 * unlimited.
 */
public record Quota(
    int requestsPerWindow, Duration window, int requestsPerDay, int tokensPerWindow) {

  public Quota(int requestsPerWindow, Duration window, int requestsPerDay) {
    this(requestsPerWindow, window, requestsPerDay, 0);
  }

  public Quota {
    if (tokensPerWindow < 0)
      throw new IllegalArgumentException("tokensPerWindow must be >= 0, was " + tokensPerWindow);
    if (requestsPerWindow < 0)
      throw new IllegalArgumentException(
          "requestsPerWindow must be >= 0, was " + requestsPerWindow);
    if (requestsPerDay < 0)
      throw new IllegalArgumentException("requestsPerDay must be >= 0, was " + requestsPerDay);
    if (window == null || window.isNegative() || window.isZero())
      throw new IllegalArgumentException("window must be > 0, was " + window);
  }

  public static Quota perMinute(int requests) {
    return new Quota(requests, Duration.ofMinutes(1), 0);
  }

  /** A shorter window than the real minute, so tests and demos see quota behaviour quickly. */
  public static Quota per(int requests, Duration window) {
    return new Quota(requests, window, 0);
  }

  public Quota perDay(int requests) {
    return new Quota(requestsPerWindow, window, requests, tokensPerWindow);
  }

  /** Input tokens (prompt and system instruction, about four bytes a token) per window. */
  public Quota tokens(int tokensPerWindow) {
    return new Quota(requestsPerWindow, window, requestsPerDay, tokensPerWindow);
  }

  public static Quota unlimited() {
    return new Quota(0, Duration.ofMinutes(1), 0);
  }
}
