package dev.gkr.internal.keys;

import dev.gkr.KeyStatus;
import dev.gkr.internal.common.ApiKey;

/**
 * A key's state in one run: whether it may send, and what it sent. Guarded by the Scheduler's lock:
 * the key book changes its state (cooling, parking, retiring); the scheduler counts its answers.
 */
public final class KeyState {
  /** Whether the key may send. */
  public enum State {
    ACTIVE,
    COOLING,
    PARKED,
    RETIRED
  }

  private final ApiKey key;
  private State state = State.ACTIVE;
  private long coolUntil;

  /** 429s for the key's own per-minute quota in a row (strikes towards parking). */
  private int strikes;

  /**
   * When the current run of strikes began: a key is parked only when they go on for a while, not in
   * one burst.
   */
  private long firstStrikeAt;

  /** The models of the run's chain (by index) this key may not use: each answered it 403. */
  private final java.util.BitSet deniedModels = new java.util.BitSet();

  private long requests;
  private long successes;
  private long[] successesPerModel = new long[1];
  private long rateLimited;
  private long failures; // every answer that was not a success, 429s included

  KeyState(ApiKey key) {
    this.key = key;
  }

  public ApiKey key() {
    return key;
  }

  public int index() {
    return key.index();
  }

  public State state() {
    return state;
  }

  public boolean usable() {
    return state == State.ACTIVE || state == State.COOLING;
  }

  /** Cooling down now: until {@link #coolUntil()}. */
  public boolean coolingAt(long now) {
    return state == State.COOLING && now < coolUntil;
  }

  public long coolUntil() {
    return coolUntil;
  }

  /** A cooling key whose time has come is active again. */
  public void warmUp(long now) {
    if (state == State.COOLING && now >= coolUntil) state = State.ACTIVE;
  }

  /** A request starts with this key. */
  public void requestStarted() {
    requests++;
  }

  /** A clean answer: counted, and the key's strikes are forgiven. */
  public void succeeded() {
    succeeded(0);
  }

  /** A clean answer from model {@code model} of the run's chain. */
  public void succeeded(int model) {
    successes++;
    strikes = 0;
    if (model >= successesPerModel.length)
      successesPerModel = java.util.Arrays.copyOf(successesPerModel, model + 1);
    successesPerModel[model]++;
  }

  /** Its clean answers from model {@code model} of the run's chain. */
  public long successes(int model) {
    return model < successesPerModel.length ? successesPerModel[model] : 0;
  }

  /** An answer that was not a success (a 429 included). */
  public void failed() {
    failures++;
  }

  /** A 429 of any kind, counted for the stats. */
  public void rateLimited() {
    rateLimited++;
  }

  /**
   * A 429 for the key's own per-minute quota: one more strike towards parking; returns the strikes
   * in a row.
   */
  public int strike(long now) {
    if (strikes++ == 0) firstStrikeAt = now;
    return strikes;
  }

  /** How long the current strikes in a row have gone on. */
  public long strikingFor(long now) {
    return strikes == 0 ? 0 : now - firstStrikeAt;
  }

  /** A storm, not the key, caused its 429s so far. */
  public void forgiveStrikes() {
    strikes = 0;
  }

  /**
   * The model {@code index} of the run's chain answered this key 403 for the model; false when it
   * had already.
   */
  public boolean denyModel(int index) {
    if (deniedModels.get(index)) return false;
    deniedModels.set(index);
    return true;
  }

  /** Whether the model {@code index} of the run's chain refused this key. */
  public boolean deniedModel(int index) {
    return deniedModels.get(index);
  }

  /** Returns false when it was cooling until later already (or is not usable). */
  boolean coolUntil(long until) {
    if (!usable() || (state == State.COOLING && coolUntil >= until)) return false;
    coolUntil = Math.max(coolUntil, until);
    state = State.COOLING;
    return true;
  }

  /** Returns false when the key was not usable anyway. */
  boolean park() {
    if (!usable()) return false;
    state = State.PARKED;
    return true;
  }

  /** Returns false when the key was not usable anyway. */
  boolean retire() {
    if (!usable()) return false;
    state = State.RETIRED;
    return true;
  }

  /** The state a person sees: a key whose cooldown is over shows as active. */
  public KeyStatus status(long now) {
    return switch (state) {
      case ACTIVE -> KeyStatus.ACTIVE;
      case COOLING -> now >= coolUntil ? KeyStatus.ACTIVE : KeyStatus.COOLING;
      case PARKED -> KeyStatus.PARKED;
      case RETIRED -> KeyStatus.RETIRED;
    };
  }

  public long requests() {
    return requests;
  }

  public long successes() {
    return successes;
  }

  public long rateLimitedCount() {
    return rateLimited;
  }

  /** Answers that were neither a success nor a 429. */
  public long otherFailures() {
    return failures - rateLimited;
  }
}
