package dev.gkr.internal.keys;

import dev.gkr.internal.common.ApiKey;

/** A key's state in one run. Guarded by the {@link Scheduler}'s lock. */
public final class KeyState {
  public enum State {
    ACTIVE,
    COOLING,
    PARKED,
    RETIRED
  }

  public final ApiKey key;
  public State state = State.ACTIVE;
  public long coolUntil;
  public int consecutiveRateLimits;

  /**
   * When the current run of 429s in a row began: a key is parked only when they go on for a while,
   * not in one burst.
   */
  public long firstRateLimitAt;

  public long requests;
  public long successes;
  public long rateLimited;
  public long failures; // every answer that was not a success, 429s included

  KeyState(ApiKey key) {
    this.key = key;
  }

  public boolean usable() {
    return state == State.ACTIVE || state == State.COOLING;
  }
}
