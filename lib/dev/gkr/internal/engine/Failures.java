package dev.gkr.internal.engine;

import dev.gkr.ErrorType;
import dev.gkr.Outcome;
import dev.gkr.RotatorEvent;
import dev.gkr.internal.common.Backoff;
import dev.gkr.internal.common.Durations;
import dev.gkr.internal.keys.KeyBook;
import dev.gkr.internal.keys.KeyState;
import dev.gkr.internal.keys.ProjectState;
import dev.gkr.internal.task.RetryPolicy;
import dev.gkr.internal.task.TaskState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.locks.Condition;

/**
 * What a failed answer does to its task, its key and the key's project: one handler per kind of
 * error, each named for what it does and returning where the task goes next. Whether a task error
 * or a transient error ends the task is the {@link RetryPolicy}'s to say (Batch Mode asks it too).
 * The {@link Scheduler} picks the handler and moves the task; the handlers never touch the queues.
 * Guarded by the Scheduler's lock: only {@link Scheduler#report} calls them.
 */
final class Failures {
  private static final Duration MAX_COOLDOWN_BACKOFF = Duration.ofSeconds(60);

  /**
   * Where a failed task goes next; {@code why} is the text of its {@link
   * RotatorEvent.AttemptFailed}.
   */
  sealed interface Next {
    /** Back to the front of the queue, for the next slot that may take it. */
    record Requeue(String why) implements Next {}

    /** Into the delayed queue until {@code notBefore} on the run's clock. */
    record Later(long notBefore, String why) implements Next {}

    /** The task ends failed. */
    record Fail() implements Next {}
  }

  /**
   * One failed answer: the task, the key that sent it and the key's project, whether it belongs to
   * a storm the run-wide throttle saw, the time on both clocks, and the events to publish once the
   * lock is released.
   */
  record Failed(
      TaskState task,
      KeyState key,
      ProjectState project,
      Outcome.Failure failure,
      boolean storm,
      long nanos,
      Instant now,
      List<RotatorEvent> events) {
    ErrorType type() {
      return failure.type();
    }
  }

  private final RetryPolicy retries;
  private final int maxConsecutiveRateLimits;
  private final KeyBook keys;
  private final RunThrottle throttle;
  private final Recorder recorder;

  /** The Scheduler's condition for slots waiting for a time (a project's pause, its tokens). */
  private final Condition timer;

  Failures(
      RetryPolicy retries,
      int maxConsecutiveRateLimits,
      KeyBook keys,
      RunThrottle throttle,
      Recorder recorder,
      Condition timer) {
    this.retries = retries;
    this.maxConsecutiveRateLimits = maxConsecutiveRateLimits;
    this.keys = keys;
    this.throttle = throttle;
    this.recorder = recorder;
    this.timer = timer;
  }

  /**
   * The handler for the failure's kind; a storm's 429s all go to the throttle's (transient errors
   * keep theirs). Not for {@link ErrorType.Kind#RUN}: the scheduler stops the run itself.
   */
  Next handle(Failed a) {
    ErrorType.Kind kind = a.type().kind();
    if (a.storm() && kind != ErrorType.Kind.TRANSIENT) return requeueThrottled(a);
    return switch (kind) {
      case KEY_COOLDOWN -> cool(a);
      case SLOWDOWN -> pauseProject(a);
      case KEY_PARKED -> parkProject(a);
      case KEY_DEAD -> retire(a);
      case TASK -> retryTask(a);
      case TRANSIENT -> retryLater(a);
      case RUN -> throw new IllegalArgumentException("the scheduler stops the run itself");
    };
  }

  /**
   * A 429 or 503 shared by most keys: the run-wide throttle handles it, so it costs neither a retry
   * nor a strike.
   */
  Next requeueThrottled(Failed a) {
    recorder.rateLimited(a.key());
    return new Next.Requeue(
        "back to the queue: run throttled ("
            + throttle.snapshot(a.nanos()).cause()
            + "), no retry used, no strike on the key");
  }

  /**
   * A per-minute quota is spent: the key cools down for the server's delay (or a backoff), its
   * project waits when the quota was its input tokens, and a key that keeps refusing alone is
   * parked.
   */
  Next cool(Failed a) {
    KeyState k = a.key();
    ProjectState project = a.project();
    recorder.rateLimited(k);
    int strikes = k.strike(a.nanos());
    a.task().triedOn(k.index());
    if (a.type() == ErrorType.RATE_LIMITED && project.paced()) project.rateLimited();
    Duration delay =
        a.failure()
            .retryDelay()
            .filter(d -> !d.isZero())
            .orElseGet(() -> Backoff.jittered(strikes, MAX_COOLDOWN_BACKOFF));
    if (keptRefusing(k, strikes, a.nanos())) {
      keys.park(k, strikes + " rate limits in a row", a.events(), a.now());
    } else if (a.type() == ErrorType.TOKEN_LIMITED) {
      // The project's input tokens are spent for now: every key of it waits, not only this one.
      if (project.tokenLimited()) project.tokenQuotaHit();
      project.pause(a.nanos() + delay.toNanos());
      timer.signalAll();
      return new Next.Requeue(
          "back to the queue; project "
              + project.name()
              + " waits "
              + Durations.format(delay)
              + " for input tokens (no retry used)");
    } else {
      keys.cool(k, delay, a.events(), a.now());
    }
    return new Next.Requeue("back to the queue (no retry used)");
  }

  /**
   * Parked only when the key refuses alone and for a while: answers of its slots in flight at once,
   * or refusals shared with other keys (a storm building up), are not the key's.
   */
  private boolean keptRefusing(KeyState k, int strikes, long nanos) {
    return strikes >= maxConsecutiveRateLimits
        && k.strikingFor(nanos) >= RunThrottle.WINDOW.toNanos()
        && !throttle.othersFailing(k.index());
  }

  /**
   * A 429 without quota details (capacity or spend): the whole project pauses; not the key's fault.
   */
  Next pauseProject(Failed a) {
    ProjectState project = a.project();
    recorder.rateLimited(a.key());
    int slowdowns = project.slowedDown();
    Duration delay =
        a.failure()
            .retryDelay()
            .filter(d -> !d.isZero())
            .orElseGet(() -> Backoff.jittered(slowdowns, MAX_COOLDOWN_BACKOFF));
    project.pause(a.nanos() + delay.toNanos());
    return new Next.Requeue(
        "back to the queue; project "
            + project.name()
            + " pauses "
            + Durations.format(delay)
            + " (429 without details: a capacity or spend limit, not the key; no retry used)");
  }

  /** The daily quota is spent: every key of the project is parked. */
  Next parkProject(Failed a) {
    recorder.rateLimited(a.key());
    a.task().triedOn(a.key().index());
    keys.parkProject(a.project(), "daily quota spent", a.events(), a.now());
    return new Next.Requeue("back to the queue (no retry used)");
  }

  /**
   * The key is invalid or suspended: retired for the run. (A key refused a model is the {@link
   * Reports}' to handle: it may still use another model of the chain.)
   */
  Next retire(Failed a) {
    a.task().triedOn(a.key().index());
    keys.retire(a.key(), a.type(), a.events(), a.now());
    return new Next.Requeue("back to the queue (no retry used)");
  }

  /** The task itself failed: one of its retries, on another key where one exists; or it fails. */
  Next retryTask(Failed a) {
    TaskState t = a.task();
    t.triedOn(a.key().index());
    if (retries.afterTaskError(t) instanceof RetryPolicy.Fail) return new Next.Fail();
    return new Next.Requeue(
        "retry "
            + t.taskErrors()
            + "/"
            + retries.maxRetries()
            + (keys.size() > 1 ? " on another key" : ""));
  }

  /**
   * The network or the server failed: retried after a jittered backoff, within the task's maxWait
   * and the kind's cap; in a storm the task waits in the queue for the throttle instead, without
   * counting the error.
   */
  Next retryLater(Failed a) {
    TaskState t = a.task();
    ErrorType type = a.type();
    RetryPolicy.Next next = retries.afterTransientError(t, type, a.nanos(), a.storm());
    if (!(next instanceof RetryPolicy.Retry(Duration wait))) return new Next.Fail();
    if (a.storm())
      return new Next.Requeue(
          "back to the queue: run throttled ("
              + throttle.snapshot(a.nanos()).cause()
              + "), no retry used");
    int cap = retries.transientCap(type);
    return new Next.Later(
        a.nanos() + wait.toNanos(),
        "retry in "
            + Durations.format(wait)
            + " (transient "
            + t.transientErrors()
            + (cap == Integer.MAX_VALUE ? "" : "/" + cap)
            + ", waited "
            + Durations.format(Duration.ofNanos(t.waitedNanos()))
            + " of "
            + Durations.format(retries.maxWait())
            + ")");
  }
}
