package dev.gkr;

/** A key's state in one run. Guarded by the {@link Scheduler}'s lock. */
final class KeyState {
  enum State {
    ACTIVE,
    COOLING,
    PARKED,
    RETIRED
  }

  final ApiKey key;
  State state = State.ACTIVE;
  long coolUntil;
  int consecutiveRateLimits;

  /**
   * When the current run of 429s in a row began: a key is parked only when they go on for a while,
   * not in one burst.
   */
  long firstRateLimitAt;

  long requests;
  long successes;
  long rateLimited;
  long failures; // every answer that was not a success, 429s included

  KeyState(ApiKey key) {
    this.key = key;
  }

  boolean usable() {
    return state == State.ACTIVE || state == State.COOLING;
  }
}
