package dev.gkr.internal.embed;

import dev.gkr.ErrorType;
import dev.gkr.Outcome;
import dev.gkr.RotatorEvent;
import dev.gkr.Slowdown;
import dev.gkr.internal.common.Clock;
import dev.gkr.internal.config.Settings;
import dev.gkr.internal.engine.EngineNotices;
import dev.gkr.internal.engine.RunThrottle;
import dev.gkr.internal.keys.KeyBook;
import dev.gkr.internal.keys.KeyState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The generation's run-wide throttle ({@link RunThrottle}) for an embedding run's calls: when most
 * keys, across projects, meet 503s, 5xx, network errors or 429s in one unbroken streak of different
 * packs, the run waits one shared, growing backoff and sends one pack at a time (the probe) until
 * an answer comes back clean. A pack failed in a storm goes back to the queue as it was: no attempt
 * used, no strike or cooldown on its key. A storm longer than {@code maxWait} stops the run (its
 * texts are left {@code overloaded}, for a rerun). Guarded by the {@link EmbedRun}'s lock.
 */
final class StormGate {
  private final RunThrottle throttle;
  private final Duration maxWait;
  private long seq;

  StormGate(Settings settings, KeyBook book) {
    this.throttle =
        new RunThrottle(
            settings.runThrottle(), book.projectIndexes(), book.projectCount(), settings.clock());
    this.maxWait = settings.maxWait();
  }

  /** When a pack may go: 0 (now), the end of the backoff, or {@code Long.MAX_VALUE} (probe out). */
  long gate(long now) {
    long g = throttle.gate(now);
    return g == Clock.NO_DEADLINE ? Long.MAX_VALUE : g;
  }

  /** The storm has lasted {@code maxWait}: the run stops, with a notice saying so. */
  boolean outlasted(long now, List<RotatorEvent> ev, Instant wall) {
    if (!throttle.engaged() || throttle.stormNanos(now) < maxWait.toNanos()) return false;
    String cause = throttle.snapshot(now).cause();
    ev.add(new RotatorEvent.Notice(wall, EngineNotices.stormOutlasted(cause, maxWait)));
    return true;
  }

  /** A pack is sent: its call's number (the probe's while a storm holds). */
  long sent() {
    throttle.probing(++seq);
    return seq;
  }

  /**
   * Hears the answer to call {@code call} (a failure, or null: clean); true when the failure
   * belongs to a storm. A notice tells when a storm begins or ends.
   */
  boolean heard(
      KeyState key,
      Pack pack,
      long call,
      Outcome.Failure f,
      long now,
      List<RotatorEvent> ev,
      Instant wall) {
    boolean was = throttle.engaged();
    boolean storm = false;
    if (f == null || f.type().kind() == ErrorType.Kind.TASK) throttle.clean(key.index(), call, now);
    else
      switch (f.type().kind()) {
        case KEY_COOLDOWN, SLOWDOWN, TRANSIENT ->
            storm =
                throttle.failed(key.index(), pack.items()[0], call, f.type(), f.retryDelay(), now);
        default -> throttle.neutral(key.index(), call, now);
      }
    if (was != throttle.engaged())
      ev.add(new RotatorEvent.Notice(wall, EngineNotices.throttle(throttle.snapshot(now))));
    return storm;
  }

  Slowdown snapshot(long now) {
    return throttle.snapshot(now);
  }
}
