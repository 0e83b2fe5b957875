package dev.gkr.internal.keys;

import dev.gkr.Limits;
import dev.gkr.internal.common.Clock;
import java.time.Duration;
import java.util.ArrayDeque;

/**
 * One project's shared pacing in a run: its keys' requests start at least {@code interval / rate}
 * apart, at most {@code requestsPerDay} start today, and their input tokens stay within the token
 * window. The rate adapts: halved on a 429, raised again step by step while answers are clean,
 * never above the declared limits. Guarded by the Scheduler's lock.
 */
public final class ProjectState {
  private static final double MIN_RATE = 0.05;
  private final String name;
  private final Limits limits;
  private long nextStart;
  private int startedToday;
  private double rate = 1.0;
  private int cleanStreak;

  /**
   * Share of the declared token limit that pacing aims at: halved on an input-token 429, regained
   * like {@link #rate}.
   */
  private double tokenRate = 1.0;

  /**
   * No key of the project starts a request before this (a token 429 without a declared token limit,
   * a 429 without details).
   */
  private long pausedUntil;

  /** Detail-less 429s in a row, for the project's pause backoff; reset by a clean answer. */
  private int slowdowns;

  /**
   * Token reservations, in the order they were made. A reservation leaves the window only one
   * window after its answer arrived: the server stamps a request when it arrives, which is after
   * gkr starts it, so counting from the start would free tokens the server still counts.
   */
  private final ArrayDeque<Reservation> tokenWindow = new ArrayDeque<>();

  private long tokensInWindow;

  /** Tokens held for one request: an estimate until its answer says how many it was. */
  public static final class Reservation {
    private long tokens;
    private long endNanos = -1; // -1 while the request is in flight

    private Reservation(long tokens) {
      this.tokens = tokens;
    }
  }

  ProjectState(String name, Limits limits) {
    this.name = name;
    this.limits = limits;
  }

  public String name() {
    return name;
  }

  public Limits limits() {
    return limits;
  }

  /** No key of the project starts a request before this. */
  public long pausedUntil() {
    return pausedUntil;
  }

  /** The earliest start of the project's next request, by its pacing. */
  public long nextStart() {
    return nextStart;
  }

  public boolean paced() {
    return limits.requests() > 0;
  }

  long intervalNanos() {
    return paced() ? (long) (Pacing.interval(limits).toNanos() / rate) : 0;
  }

  /**
   * Whether a request may start now by this quota alone: not paused, due by the pacing, the day's
   * limit not reached (its tokens are not weighed).
   */
  public boolean mayStart(long now) {
    return now >= pausedUntil && (!paced() || now >= nextStart) && !dailyLimitReached();
  }

  public boolean tokenLimited() {
    return limits.tokensPerWindow() > 0;
  }

  public boolean dailyLimitReached() {
    return limits.requestsPerDay() > 0 && startedToday >= limits.requestsPerDay();
  }

  public void started(long now) {
    nextStart = Math.max(nextStart, now) + intervalNanos();
    startedToday++;
  }

  /**
   * When a request of {@code tokens} estimated tokens may start: now if it fits (or the window is
   * empty: a request bigger than the whole limit goes alone); the time enough answered reservations
   * leave the window; or {@link Clock#NO_DEADLINE} when only requests still in flight could make
   * room (their answers wake the slot).
   */
  public long tokensFreeAt(long now, long tokens) {
    expire(now);
    long limit = (long) (limits.tokensPerWindow() * Pacing.HEADROOM * tokenRate);
    if (tokensInWindow + tokens <= limit || tokenWindow.isEmpty()) return now;
    long held = tokensInWindow;
    for (Reservation r : tokenWindow) {
      if (r.endNanos < 0) return Clock.NO_DEADLINE;
      held -= r.tokens;
      if (held + tokens <= limit) return r.endNanos + limits.window().toNanos();
    }
    return now;
  }

  public Reservation reserve(long tokens) {
    Reservation r = new Reservation(tokens);
    tokenWindow.addLast(r);
    tokensInWindow += tokens;
    return r;
  }

  /**
   * The answer's real count (0 for a request the server refused) replaces the estimate; its window
   * runs from now.
   */
  public void settle(Reservation r, long actual, long now) {
    tokensInWindow += actual - r.tokens;
    r.tokens = actual;
    r.endNanos = now;
  }

  private void expire(long now) {
    long windowNanos = limits.window().toNanos();
    while (!tokenWindow.isEmpty()
        && tokenWindow.peekFirst().endNanos >= 0
        && tokenWindow.peekFirst().endNanos <= now - windowNanos) {
      tokensInWindow -= tokenWindow.pollFirst().tokens;
    }
  }

  public void rateLimited() {
    rate = Math.max(MIN_RATE, rate / 2);
    cleanStreak = 0;
  }

  /** An input-token 429: the token budget shrinks, the request pacing stays as it is. */
  public void tokenQuotaHit() {
    tokenRate = Math.max(MIN_RATE, tokenRate / 2);
    cleanStreak = 0;
  }

  /**
   * No key of the project starts before {@code until} (later pauses never shorten an earlier one).
   */
  public void pause(long until) {
    pausedUntil = Math.max(pausedUntil, until);
  }

  /**
   * A 429 without quota details: one more slowdown in a row (the project's pause backs off with
   * them); returns how many.
   */
  public int slowedDown() {
    return ++slowdowns;
  }

  /**
   * After one window's worth of clean answers, a tenth of the declared rate (and token budget)
   * back.
   */
  public void answeredCleanly() {
    slowdowns = 0;
    if (rate >= 1.0 && tokenRate >= 1.0) return;
    if (++cleanStreak >= Math.max(1, limits.requests())) {
      rate = Math.min(1.0, rate + 0.1);
      tokenRate = Math.min(1.0, tokenRate + 0.1);
      cleanStreak = 0;
    }
  }

  /** The current rate in requests per minute, for the monitor and the stats. */
  double requestsPerMinute() {
    return paced()
        ? limits.requests()
            * Pacing.HEADROOM
            * rate
            * (Duration.ofMinutes(1).toNanos() / (double) limits.window().toNanos())
        : 0;
  }
}
