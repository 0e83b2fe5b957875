package dev.gkr.internal.engine;

import dev.gkr.internal.config.Settings;
import dev.gkr.internal.keys.KeyBook;
import dev.gkr.internal.keys.KeyState;
import dev.gkr.internal.keys.ProjectState;

/**
 * When a slot may start its next request: the run-wide throttle's gate, the slot's own pace, its
 * project's pause, pace and input tokens, in that order. Guarded by the {@link Scheduler}'s lock.
 */
final class StartGate {
  /** From {@link #until}: nothing holds the slot back. */
  static final long NOW = Long.MIN_VALUE;

  private final long everyNanos;
  private final int slotsPerKey;
  private final RunThrottle throttle;
  private final KeyBook keys;
  private final TaskQueue queue;
  private final String system;

  StartGate(Settings settings, RunThrottle throttle, KeyBook keys, TaskQueue queue, String system) {
    this.everyNanos = settings.every().toNanos();
    this.slotsPerKey = settings.slotsPerKey();
    this.throttle = throttle;
    this.keys = keys;
    this.queue = queue;
    this.system = system;
  }

  /**
   * When {@code slot} (of key {@code k}) may start its next request, which asks model {@code model}
   * of the run's chain (paced by that model's quota in the project), or {@link #NOW}.
   */
  long until(Slot slot, KeyState k, int model, long now) {
    long gate = throttle.gate(now);
    if (gate != 0) return gate;
    if (slot.currentStart() < throttle.releasedAt() && slot.nextStart() <= throttle.releasedAt()) {
      // First start after a storm: spread the slots of a key across one interval again, as at the
      // run's start, instead of releasing them all in the same instant.
      slot.paceFrom(
          throttle.releasedAt()
              + 1
              + everyNanos * ((slot.number() - 1) % slotsPerKey) / slotsPerKey);
    }
    if (now < slot.nextStart()) return slot.nextStart();
    ProjectState p = keys.projectOf(k, model);
    if (now < p.pausedUntil()) return p.pausedUntil();
    if (p.paced() && now < p.nextStart()) return p.nextStart();
    if (p.tokenLimited() && queue.hasReady()) {
      long free = p.tokensFreeAt(now, queue.peekReady().estimatedTokens(system));
      if (now < free) return free;
    }
    return NOW;
  }

  /**
   * Whether a slot of {@code k} may start again as soon as it reports: nothing paces it, no storm
   * holds the run, and its project neither paces nor waits.
   */
  boolean unpaced(KeyState k, int model, long now) {
    if (everyNanos != 0 || throttle.engaged()) return false;
    ProjectState p = keys.projectOf(k, model);
    return !p.paced() && !p.tokenLimited() && p.pausedUntil() <= now;
  }
}
