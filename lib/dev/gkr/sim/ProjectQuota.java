package dev.gkr.sim;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The live counters of one simulated project: a sliding window and a day count, shared by its keys.
 */
final class ProjectQuota {
  /**
   * What the quota says about one request: admitted, or refused with the quota id and the delay.
   */
  record Verdict(boolean admitted, String quotaId, int limit, Duration retryDelay) {
    static final Verdict ADMITTED = new Verdict(true, "", 0, Duration.ZERO);
  }

  private final Quota quota;
  private final ArrayDeque<Long> window = new ArrayDeque<>();
  private final ArrayDeque<long[]> tokenWindow = new ArrayDeque<>();
  private long tokensInWindow;
  private final ReentrantLock lock = new ReentrantLock();
  private long today;

  ProjectQuota(Quota quota) {
    this.quota = quota;
  }

  Verdict admit(long nowNanos, int tokens) {
    return admit(nowNanos, 1, tokens);
  }

  /**
   * {@code count} requests arriving together (the texts of one batchEmbedContents call: Gemini
   * counts each against the per-minute and per-day quota): all admitted, or the call refused.
   */
  Verdict admit(long nowNanos, int count, int tokens) {
    lock.lock();
    try {
      if (quota.requestsPerDay() > 0 && today + count > quota.requestsPerDay()) {
        return new Verdict(false, Envelopes.PER_DAY, quota.requestsPerDay(), Duration.ZERO);
      }
      if (quota.tokensPerWindow() > 0) {
        long windowNanos = quota.window().toNanos();
        while (!tokenWindow.isEmpty() && tokenWindow.peekFirst()[0] <= nowNanos - windowNanos)
          tokensInWindow -= tokenWindow.pollFirst()[1];
        if (!tokenWindow.isEmpty() && tokensInWindow + tokens > quota.tokensPerWindow()) {
          long waitNanos = tokenWindow.peekFirst()[0] + windowNanos - nowNanos;
          return new Verdict(
              false, Envelopes.TOKENS_PER_MINUTE, quota.tokensPerWindow(), roundUp(waitNanos));
        }
      }
      if (quota.requestsPerWindow() > 0) {
        long windowNanos = quota.window().toNanos();
        while (!window.isEmpty() && window.peekFirst() <= nowNanos - windowNanos)
          window.pollFirst();
        if (window.size() + count > quota.requestsPerWindow()) {
          long waitNanos =
              window.isEmpty() ? windowNanos : window.peekFirst() + windowNanos - nowNanos;
          return new Verdict(
              false, Envelopes.PER_MINUTE, quota.requestsPerWindow(), roundUp(waitNanos));
        }
      }
      if (quota.requestsPerWindow() > 0) for (int i = 0; i < count; i++) window.addLast(nowNanos);
      if (quota.tokensPerWindow() > 0) {
        tokenWindow.addLast(new long[] {nowNanos, tokens});
        tokensInWindow += tokens;
      }
      today += count;
      return Verdict.ADMITTED;
    } finally {
      lock.unlock();
    }
  }

  /** The real API states whole seconds for minute windows; short test windows get milliseconds. */
  private Duration roundUp(long nanos) {
    boolean wholeSeconds = quota.window().toSeconds() >= 60;
    long unit = wholeSeconds ? 1_000_000_000L : 1_000_000L;
    long units = Math.max(1, (nanos + unit - 1) / unit);
    return wholeSeconds ? Duration.ofSeconds(units) : Duration.ofMillis(units);
  }
}
