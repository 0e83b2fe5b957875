package dev.gkr.internal.engine;

import dev.gkr.RotatorEvent;
import dev.gkr.internal.common.Backoff;
import dev.gkr.internal.config.Fallbacks;
import dev.gkr.internal.keys.KeyBook;
import dev.gkr.internal.keys.KeyState;
import dev.gkr.internal.keys.ProjectState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Which model a new request asks: the run's own model, or a fallback while it is overloaded or not
 * found. The run-wide {@link RunThrottle} detects a storm; when it has held one on the current
 * model for {@code fallbackAfter}, the chain moves to the next model and ends the throttle's storm
 * (new requests are no longer sent into it). The model left behind is then probed, one request at a
 * time, after a backoff (1 s, doubling, jittered, at most 30 s: the throttle's own probe rhythm); a
 * clean answer to a probe brings the run back to it. A model that answered 404 is never probed
 * again. A key answered 403 for a model (its project may not use it) skips that model: its slots
 * wait while the run asks it and work when the run asks another; when every key still usable is
 * refused the current model, the run moves on as after a 404, and a key no model left will take is
 * retired. A task is finished by whichever model answers it, so exactly once holds across models;
 * requests in flight finish on the model they asked, and their storm answers count against no key,
 * no task retry and not the throttle (they describe a model the run has left). Guarded by the
 * {@link Scheduler}'s lock.
 */
final class ModelChain {
  private static final Duration MAX_PROBE_WAIT = Duration.ofSeconds(30);

  private final List<String> models;
  private final long afterNanos;
  private final boolean[] missing;
  private int current;

  /** The hand-out number of the probe in flight to a model left behind, or 0. */
  private long probeSeq;

  private long probeAt;
  private int probeLevel;
  private int switches;

  ModelChain(String model, Fallbacks fallbacks) {
    this.models = fallbacks.chain(model);
    this.afterNanos = fallbacks.after().toNanos();
    this.missing = new boolean[models.size()];
  }

  String name(int index) {
    return models.get(index);
  }

  int current() {
    return current;
  }

  /** How many times the run changed model (to a fallback and back). */
  int switches() {
    return switches;
  }

  /** Whether another model is left to fall back to after the current one. */
  private int next() {
    for (int i = current + 1; i < models.size(); i++) if (!missing[i]) return i;
    return -1;
  }

  /** The model left behind that is probed: the nearest one before the current that may answer. */
  private int previous() {
    for (int i = current - 1; i >= 0; i--) if (!missing[i]) return i;
    return -1;
  }

  /**
   * When the throttle's storm on the current model will have lasted {@code fallbackAfter} (a time
   * to wake at), or {@link Long#MAX_VALUE} when there is no storm or no model to fall back to.
   */
  long fallbackDue(RunThrottle throttle, long now) {
    if (!throttle.engaged() || !throttle.overload() || next() < 0) return Long.MAX_VALUE;
    return now - throttle.stormNanos(now) + afterNanos;
  }

  /**
   * Falls back when the storm on the current model has lasted long enough; ends the throttle's
   * storm then. Returns the notice to publish, or null.
   */
  String fallBackIfDue(RunThrottle throttle, long now) {
    if (fallbackDue(throttle, now) > now) return null;
    String left = models.get(current);
    long held = throttle.stormNanos(now);
    current = next();
    switches++;
    probeSeq = 0;
    probeLevel = 0;
    probeAt = now + Backoff.jittered(1, MAX_PROBE_WAIT).toNanos();
    throttle.handOver(now);
    return "model "
        + left
        + " overloaded for "
        + dev.gkr.internal.common.Durations.format(Duration.ofNanos(held))
        + ": new requests go to "
        + models.get(current)
        + "; "
        + left
        + " is probed and the run returns to it when it answers";
  }

  /** {@code index} answered 404: it is never asked again. Returns the notice, or null. */
  String notFound(int index) {
    if (missing[index]) return null;
    missing[index] = true;
    if (index != current) return null;
    int n = next();
    if (n < 0) return null;
    current = n;
    switches++;
    return "model " + models.get(index) + " not found: new requests go to " + models.get(n);
  }

  /**
   * Whether some model not found (404) and not refused to {@code k} (403) is left for key {@code
   * k}; a key without one is retired.
   */
  boolean usableBy(KeyState k) {
    for (int i = 0; i < models.size(); i++) if (!missing[i] && !k.deniedModel(i)) return true;
    return false;
  }

  /**
   * When every usable key has been refused the current model (403), it is never asked again: new
   * requests go to the next model, or back to the one before when none follows. Returns the notice,
   * or null when some key may still ask it (or no model is left: the keys retire then).
   */
  String deniedEverywhere(KeyBook keys) {
    for (int i = 0; i < keys.size(); i++) {
      KeyState k = keys.key(i);
      if (k.usable() && !k.deniedModel(current)) return null;
    }
    int left = current;
    missing[left] = true;
    int n = next() >= 0 ? next() : previous();
    if (n < 0) return null;
    current = n;
    switches++;
    return "model "
        + models.get(left)
        + " refused on every key (403 for the model, or its declared daily limit): new requests go to "
        + models.get(n);
  }

  /** The declared daily limit of model {@code model} in key {@code k}'s project is reached. */
  void dayReached(KeyState k, int model, KeyBook keys, List<RotatorEvent> events, Instant now) {
    int perDay = keys.projectOf(k, model).limits().requestsPerDay();
    stopForTheDay(k, model, "declared daily limit of " + perDay + " reached", keys, events, now);
  }

  /** Gemini answered a per-day 429 for model {@code model} in key {@code k}'s project. */
  void daySpent(KeyState k, int model, KeyBook keys, List<RotatorEvent> events, Instant now) {
    stopForTheDay(k, model, "daily quota spent", keys, events, now);
  }

  /**
   * Model {@code model} may take no more requests of key {@code k}'s project today: the project's
   * keys stop asking it (the run moves on when every key has stopped), or, when no other model of
   * the chain is left for {@code k}, the project's keys are parked for the day (as without
   * fallbacks).
   */
  private void stopForTheDay(
      KeyState k, int model, String reason, KeyBook keys, List<RotatorEvent> events, Instant now) {
    ProjectState p = keys.projectOf(k, model);
    boolean first = !k.deniedModel(model);
    for (int i = 0; i < keys.size(); i++)
      if (keys.projectOf(keys.key(i)).name().equals(p.name())) keys.key(i).denyModel(model);
    if (!usableBy(k)) keys.parkProject(p, reason, events, now);
    else if (first)
      events.add(
          new RotatorEvent.Notice(
              now,
              "project "
                  + p.name()
                  + ": "
                  + reason
                  + " for model "
                  + models.get(model)
                  + ": its keys go on with another model"));
  }

  /** Whether a model is left after {@code index} answered 404 (else the run stops). */
  boolean anyLeft() {
    for (boolean m : missing) if (!m) return true;
    return false;
  }

  /**
   * The model request {@code seq} on key {@code k} asks, starting now: a probe of the model left
   * behind when its backoff has passed, no probe is out, the key may use it and the model's quota
   * in the key's project lets it start, else the current model.
   */
  int pick(long seq, KeyState k, KeyBook keys, long now, boolean throttled) {
    int prev = previous();
    if (!throttled
        && prev >= 0
        && probeSeq == 0
        && now >= probeAt
        && !k.deniedModel(prev)
        && keys.projectOf(k, prev).mayStart(now)) {
      probeSeq = seq;
      return prev;
    }
    return current;
  }

  /** Whether the request {@code seq}, which asked {@code index}, asked a model the run has left. */
  boolean left(int index) {
    return index != current;
  }

  /** A clean answer from {@code index} to request {@code seq}: a probe's brings the run back. */
  String clean(int index, long seq) {
    if (seq != probeSeq) return null;
    probeSeq = 0;
    if (index >= current) return null;
    String from = models.get(current);
    current = index;
    switches++;
    probeLevel = 0;
    return "model " + models.get(index) + " answers again: new requests go to it, not " + from;
  }

  /** Any other answer to request {@code seq}: a probe's sets the next probe a backoff later. */
  void failed(long seq, long now) {
    if (seq != probeSeq) return;
    probeSeq = 0;
    probeLevel++;
    probeAt = now + Backoff.jittered(probeLevel + 1, MAX_PROBE_WAIT).toNanos();
  }
}
