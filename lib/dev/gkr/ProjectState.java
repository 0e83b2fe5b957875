package dev.gkr;

import java.time.Duration;

/**
 * One project's shared pacing in a run: its keys' requests start at least {@code interval / rate} apart,
 * and at most {@code requestsPerDay} start today. The rate adapts: halved on a 429, raised again step by step
 * while answers are clean, never above the declared limits. Guarded by the {@link Scheduler}'s lock.
 */
final class ProjectState {
  private static final double MIN_RATE = 0.05;
  final String name;
  final Limits limits;
  long nextStart;
  int startedToday;
  double rate = 1.0;
  int cleanStreak;

  ProjectState(String name, Limits limits) {
    this.name = name;
    this.limits = limits;
  }

  boolean paced() {
    return limits.requests() > 0;
  }

  long intervalNanos() {
    return paced() ? (long) (limits.interval().toNanos() / rate) : 0;
  }

  boolean dailyLimitReached() {
    return limits.requestsPerDay() > 0 && startedToday >= limits.requestsPerDay();
  }

  void started(long now) {
    nextStart = Math.max(nextStart, now) + intervalNanos();
    startedToday++;
  }

  void rateLimited() {
    rate = Math.max(MIN_RATE, rate / 2);
    cleanStreak = 0;
  }

  /** After one window's worth of clean answers, a tenth of the declared rate back. */
  void answeredCleanly() {
    if (rate >= 1.0) return;
    if (++cleanStreak >= Math.max(1, limits.requests())) {
      rate = Math.min(1.0, rate + 0.1);
      cleanStreak = 0;
    }
  }

  /** The current rate in requests per minute, for the monitor and the stats. */
  double requestsPerMinute() {
    return paced() ? limits.requests() * Limits.HEADROOM * rate * (Duration.ofMinutes(1).toNanos() / (double) limits.window().toNanos()) : 0;
  }
}
