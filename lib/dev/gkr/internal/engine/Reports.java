package dev.gkr.internal.engine;

import dev.gkr.ErrorType;
import dev.gkr.NetworkCause;
import dev.gkr.Outcome;
import dev.gkr.RotatorEvent;
import dev.gkr.internal.call.AnswerCheck;
import dev.gkr.internal.common.Clock;
import dev.gkr.internal.keys.KeyBook;
import dev.gkr.internal.keys.KeyState;
import dev.gkr.internal.keys.ProjectState;
import dev.gkr.internal.table.TaskResult;
import dev.gkr.internal.task.TaskState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * What one answer does to its task, its key and project, the run-wide throttle and the course of
 * the run: a success finishes the task; a failure goes to the {@link Failures} handler for its
 * kind, and the task moves where it says. Holds no state of its own. Guarded by the {@link
 * Scheduler}'s lock: only {@link Scheduler#report} calls it.
 */
final class Reports {
  /** The scheduler's conditions, for the slots an answer concerns. */
  interface Wake {
    /** Slots waiting for a time (a project's pause or tokens, the throttle's gate). */
    void timers();

    /** Every waiting slot: the run changed course. */
    void all();

    /** Slots waiting for a task: one came back to the queue. */
    void idle();
  }

  private final ModelChain chain;
  private final Clock clock;
  private final KeyBook keys;
  private final RunThrottle throttle;
  private final Recorder recorder;
  private final Failures failures;
  private final TaskQueue queue;
  private final Course course;
  private final Wake wake;
  private final NetworkWatch network;

  /** The slot's next task when it may start again at once, or null (see the scheduler). */
  private final BiFunction<Slot, List<RotatorEvent>, TaskState> next;

  Reports(
      ModelChain chain,
      Clock clock,
      KeyBook keys,
      RunThrottle throttle,
      Recorder recorder,
      Failures failures,
      TaskQueue queue,
      Course course,
      NetworkWatch network,
      Wake wake,
      BiFunction<Slot, List<RotatorEvent>, TaskState> next) {
    this.chain = chain;
    this.clock = clock;
    this.keys = keys;
    this.throttle = throttle;
    this.recorder = recorder;
    this.failures = failures;
    this.queue = queue;
    this.course = course;
    this.network = network;
    this.wake = wake;
    this.next = next;
  }

  /** Applies the answer of the slot's request for task {@code t}, as JSON mode checked it. */
  Scheduler.Effects apply(Slot slot, TaskState t, AnswerCheck answer) {
    KeyState k = keys.key(slot.keyIndex());
    List<RotatorEvent> events = new ArrayList<>(2);
    Instant now = clock.instant();
    Outcome outcome = answer.outcome();
    recorder.answered(slot, k, t, outcome);
    settleTokens(t, keys.projectOf(k, slot.model()), outcome);
    boolean wasThrottled = throttle.engaged();
    if (outcome instanceof Outcome.Success s)
      return succeeded(slot, t, k, s, answer.json(), wasThrottled, events, now);
    return failed(slot, t, k, (Outcome.Failure) outcome, answer.raw(), wasThrottled, events, now);
  }

  /**
   * The task's reserved input tokens give way to what the answer counted (nothing, when it failed).
   */
  private void settleTokens(TaskState t, ProjectState project, Outcome outcome) {
    ProjectState.Reservation r = t.releaseTokens();
    if (r == null) return;
    project.settle(
        r, outcome instanceof Outcome.Success ok ? ok.promptTokens() : 0, clock.nanoTime());
    wake.timers(); // slots waiting for this project's tokens re-check
  }

  private Scheduler.Effects succeeded(
      Slot slot,
      TaskState t,
      KeyState k,
      Outcome.Success s,
      String json,
      boolean wasThrottled,
      List<RotatorEvent> events,
      Instant now) {
    long nanos = clock.nanoTime();
    network.heard(s, nanos);
    k.succeeded(slot.model());
    keys.projectOf(k, slot.model()).answeredCleanly();
    throttle.clean(k.index(), slot.currentSeq(), nanos);
    throttleChanged(wasThrottled, events, now, nanos);
    String back = chain.clean(slot.model(), slot.currentSeq());
    if (back != null) {
      events.add(new RotatorEvent.Notice(now, back));
      wake.all();
    }
    return finish(
        slot,
        t,
        TaskResult.success(t.id(), s, t.attempts(), k.key(), slot.number(), json),
        events,
        now);
  }

  /**
   * A failed answer: the throttle hears of it, the handler for its kind decides, the task moves
   * where it says.
   */
  private Scheduler.Effects failed(
      Slot slot,
      TaskState t,
      KeyState k,
      Outcome.Failure f,
      String raw,
      boolean wasThrottled,
      List<RotatorEvent> events,
      Instant now) {
    long nanos = clock.nanoTime();
    t.failed(f);
    k.failed();
    chain.failed(slot.currentSeq(), nanos);
    boolean storm = throttleSees(slot, t, k, f, nanos);
    if (storm && !wasThrottled) keys.forgiveStrikes();
    throttleChanged(wasThrottled, events, now, nanos);
    Optional<NetworkCause> unreachable = network.heard(f, nanos);
    Failures.Next next =
        f.type().kind() == ErrorType.Kind.RUN
            ? stopRun(slot.model(), f, events, now)
            : unreachable.isPresent()
                ? stopUnreachable(unreachable.get(), events, now)
                : f.type() == ErrorType.MODEL_DENIED
                    ? modelDenied(slot.model(), t, k, events, now)
                    : f.type() == ErrorType.DAILY_LIMIT
                        ? daySpent(slot.model(), t, k, events, now)
                        : failures.handle(
                            new Failures.Failed(
                                t,
                                k,
                                keys.projectOf(k, slot.model()),
                                f,
                                storm,
                                nanos,
                                now,
                                events));
    return switch (next) {
      case Failures.Next.Fail fail -> {
        events.add(attemptFailed(slot, t, k, f, "task failed", now));
        yield finish(
            slot,
            t,
            TaskResult.failure(t.id(), f, raw, t.attempts(), k.key(), slot.number()),
            events,
            now);
      }
      case Failures.Next.Requeue(String why) -> {
        queue.requeue(t);
        yield retried(slot, t, k, f, why, events, now);
      }
      case Failures.Next.Later(long notBefore, String why) -> {
        queue.delay(t, notBefore);
        yield retried(slot, t, k, f, why, events, now);
      }
    };
  }

  /** Tells the run-wide throttle about a failed answer; true when it belongs to a storm. */
  private boolean throttleSees(Slot slot, TaskState t, KeyState k, Outcome.Failure f, long nanos) {
    switch (f.type().kind()) {
      case KEY_COOLDOWN, SLOWDOWN, TRANSIENT -> {
        if (chain.left(slot.model()))
          return true; // a model the run has left (a probe, or in flight at the switch)
        return throttle.failed(
            k.index(), t.index(), slot.currentSeq(), f.type(), f.retryDelay(), f.network(), nanos);
      }
      case TASK ->
          throttle.clean(
              k.index(), slot.currentSeq(), nanos); // the server answered about the task itself
      default -> throttle.neutral(k.index(), slot.currentSeq(), nanos);
    }
    return false;
  }

  /**
   * The model is not found (404): new requests go to the next fallback model, if any; else the run
   * stops, and nothing more is sent.
   */
  private Failures.Next stopRun(
      int asked, Outcome.Failure f, List<RotatorEvent> events, Instant now) {
    String moved = chain.notFound(asked);
    if (moved != null) events.add(new RotatorEvent.Notice(now, moved));
    if (chain.anyLeft()) {
      wake.all();
      return new Failures.Next.Requeue("model " + chain.name(asked) + " not found");
    }
    if (course.modelMissing())
      events.add(new RotatorEvent.Notice(now, EngineNotices.modelNotFound(chain.name(asked), f)));
    wake.all();
    return new Failures.Next.Requeue("run stopped: model not found");
  }

  /**
   * A 403 for the model the request asked: the key skips that model from now on (its slots wait
   * while the run asks it), and is retired only when no model of the chain is left for it. The
   * scheduler moves the run on when every key is refused the current model.
   */
  private Failures.Next modelDenied(
      int asked, TaskState t, KeyState k, List<RotatorEvent> events, Instant now) {
    boolean first = k.denyModel(asked);
    String why = "back to the queue; this key may not use model " + chain.name(asked);
    if (!chain.usableBy(k)) {
      t.triedOn(k.index());
      keys.retire(k, ErrorType.MODEL_DENIED, events, now);
    } else if (first) {
      events.add(
          new RotatorEvent.Notice(
              now,
              "key "
                  + k.key().display()
                  + " may not use model "
                  + chain.name(asked)
                  + " (403): it sends only when the run asks another model"));
      wake.all();
    }
    return new Failures.Next.Requeue(why + " (no retry used)");
  }

  /**
   * A per-day 429: Gemini counts days per project and model, so the project's keys go on with
   * another model of the chain; with none left they are parked for the day.
   */
  private Failures.Next daySpent(
      int asked, TaskState t, KeyState k, List<RotatorEvent> events, Instant now) {
    recorder.rateLimited(k);
    t.triedOn(k.index());
    chain.daySpent(k, asked, keys, events, now);
    wake.all();
    return new Failures.Next.Requeue("back to the queue (no retry used)");
  }

  /** Not one request reached Gemini, and every key fails the same way: the run stops. */
  private Failures.Next stopUnreachable(
      NetworkCause cause, List<RotatorEvent> events, Instant now) {
    course.unreachable();
    events.add(new RotatorEvent.Notice(now, EngineNotices.unreachable(cause, network)));
    wake.all();
    return new Failures.Next.Requeue(
        "run stopped: Gemini cannot be reached (" + cause.label() + ")");
  }

  /**
   * The task waits for another attempt: its AttemptFailed comes first among the answer's events.
   */
  private Scheduler.Effects retried(
      Slot slot,
      TaskState t,
      KeyState k,
      Outcome.Failure f,
      String why,
      List<RotatorEvent> events,
      Instant now) {
    events.add(0, attemptFailed(slot, t, k, f, why, now));
    wake.idle();
    return new Scheduler.Effects(events, null, next.apply(slot, events));
  }

  private static RotatorEvent attemptFailed(
      Slot slot, TaskState t, KeyState k, Outcome.Failure f, String why, Instant now) {
    return new RotatorEvent.AttemptFailed(
        now, t.id(), t.attempts(), k.key().display(), slot.number(), f, why);
  }

  private Scheduler.Effects finish(
      Slot slot, TaskState t, TaskResult result, List<RotatorEvent> events, Instant now) {
    TaskResult r = t.finish(result.withModel(chain.name(slot.model())));
    recorder.ended(r);
    events.add(r.doneEvent(now));
    if (course.finished()) wake.all();
    return new Scheduler.Effects(events, r, next.apply(slot, events));
  }

  /** Tells listeners when a storm begins or ends, and wakes the slots so they re-read the gate. */
  private void throttleChanged(boolean was, List<RotatorEvent> events, Instant now, long nanos) {
    if (was == throttle.engaged()) {
      if (was) wake.timers(); // a probe's answer moves the gate
      return;
    }
    events.add(new RotatorEvent.Notice(now, EngineNotices.throttle(throttle.snapshot(nanos))));
    wake.all();
  }
}
