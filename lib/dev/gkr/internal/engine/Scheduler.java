package dev.gkr.internal.engine;

import dev.gkr.Durations;
import dev.gkr.ErrorType;
import dev.gkr.Outcome;
import dev.gkr.RotatorEvent;
import dev.gkr.RunStats;
import dev.gkr.internal.common.Clock;
import dev.gkr.internal.config.Settings;
import dev.gkr.internal.cost.Ledger;
import dev.gkr.internal.keys.KeyBook;
import dev.gkr.internal.keys.KeyState;
import dev.gkr.internal.keys.ParkedKeys;
import dev.gkr.internal.keys.ProjectState;
import dev.gkr.internal.table.TaskResult;
import dev.gkr.internal.task.TaskState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The shared queue, the key states and the rules that connect them: which slot may start which task
 * when ({@link #take}), and what an answer does to the task and the key ({@link #report}, which
 * hands a failure to the {@link Failures} handler for its kind). One lock guards it all, including
 * the {@link TaskQueue}, {@link KeyBook}, {@link RunThrottle}, {@link Recorder} and the task, key,
 * project and slot states they reach; slots hold it only to decide, never while a request is in
 * flight. Events are collected under the lock and returned to the slot, which publishes them after
 * releasing it.
 */
public final class Scheduler {
  /**
   * What a report changed, to act on after the lock is released, and, when the slot may start again
   * at once (no pacing), the slot's next task, handed out under the same lock.
   */
  public record Effects(List<RotatorEvent> events, TaskResult finished, TaskState next) {}

  /**
   * The slot's next task, or null when the slot should end; and the events raised while handing it
   * out (a declared daily limit reached, a storm outlasting maxWait), for the slot to publish once
   * the lock is released.
   */
  public record Handout(List<RotatorEvent> events, TaskState task) {}

  /** From {@link #paceUntil}: nothing holds the slot back. */
  private static final long START_NOW = Long.MIN_VALUE;

  public enum End {
    COMPLETED,
    NO_USABLE_KEYS,
    OVERLOADED,
    MODEL_NOT_FOUND,
    STOPPED,
    BUDGET_REACHED
  }

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition timer = lock.newCondition();
  private final Condition work = lock.newCondition();
  private final Settings settings;
  private final Clock clock;
  private final String system;
  private final TaskState[] tasks;
  // Everything below is guarded by the lock (as are the key, project, task and slot states it
  // reaches).
  private final KeyBook keys;
  private final RunThrottle throttle;
  private final Recorder recorder;
  private final Failures failures;
  private final TaskQueue queue;
  private int unfinished;
  private int inFlight;
  private int workWaiters;
  private boolean stopping;
  private boolean noUsableKeys;

  /**
   * A storm held the whole run back for longer than maxWait: the run ends, unfinished tasks are
   * overloaded.
   */
  private boolean stormOutlasted;

  /** The 404 that stopped the run, once. */
  private Outcome.Failure modelMissing;

  /** Money spent and reserved against maxCost (issue 19). */
  private final Ledger ledger;

  /**
   * A slot found no room under maxCost while requests were in flight: their answers may free some,
   * so report() wakes it.
   */
  private boolean budgetBlocked;

  /** Nothing more fits under maxCost: the run stops as on Ctrl-C and says how to continue. */
  private boolean budgetReached;

  public Scheduler(Settings settings, List<TaskState> todo, ParkedKeys parked) {
    this(settings, todo, parked, new Ledger(settings));
  }

  public Scheduler(Settings settings, List<TaskState> todo, ParkedKeys parked, Ledger ledger) {
    this.ledger = ledger;
    this.settings = settings;
    this.clock = settings.clock();
    this.system = settings.systemInstruction().orElse("");
    this.tasks = todo.toArray(TaskState[]::new);
    this.keys = new KeyBook(settings, parked, this::keyLost);
    this.throttle =
        new RunThrottle(settings.runThrottle(), keys.projectIndexes(), keys.projectCount(), clock);
    this.recorder = new Recorder(clock.nanoTime());
    this.failures = new Failures(settings, keys, throttle, recorder, timer);
    this.unfinished = tasks.length;
    ledger.onRelease(this::budgetFreed); // a slot waiting for room under maxCost tries again
    this.queue = new TaskQueue(todo);
  }

  /**
   * Blocks until {@code slot} may start a task and returns it, or no task when the slot should end:
   * all tasks finished, the run is stopping, or the slot's key is parked or retired. Either way
   * with the events raised.
   */
  public Handout take(Slot slot) throws InterruptedException {
    lock.lock();
    try {
      KeyState k = keys.key(slot.keyIndex());
      List<RotatorEvent> events = new ArrayList<>(0);
      while (true) {
        if (stopping || noUsableKeys || unfinished == 0 || !k.usable())
          return new Handout(events, null);
        long now = clock.nanoTime();
        if (k.state == KeyState.State.COOLING) {
          if (now < k.coolUntil) {
            clock.awaitUntil(timer, k.coolUntil);
            continue;
          }
          k.state = KeyState.State.ACTIVE;
        }
        if (throttle.engaged() && throttle.stormNanos(now) >= settings.maxWait().toNanos()) {
          giveUpStorm(now, events);
          return new Handout(events, null);
        }
        long until = paceUntil(slot, k, now);
        if (until != START_NOW) {
          clock.awaitUntil(timer, until);
          continue;
        }
        TaskState t = handOut(slot, k, now, events);
        if (t != null) return new Handout(events, t);
        if (stopping)
          continue; // handOut reached maxCost: end now, not after a wait nobody will signal
        long deadline = queue.nextDelayed();
        workWaiters++;
        try {
          clock.awaitUntil(work, deadline);
        } finally {
          workWaiters--;
        }
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * When the slot may start next, or {@link #START_NOW}: the run-wide throttle's gate, the slot's
   * own pace, its project's pause, pace and input tokens, in that order.
   */
  private long paceUntil(Slot slot, KeyState k, long now) {
    long gate = throttle.gate(now);
    if (gate != 0) return gate;
    if (slot.currentStart < throttle.releasedAt() && slot.nextStart <= throttle.releasedAt()) {
      // First start after a storm: spread the slots of a key across one interval again, as at the
      // run's start,
      // instead of releasing them all in the same instant.
      slot.nextStart =
          throttle.releasedAt()
              + 1
              + settings.every().toNanos()
                  * ((slot.number() - 1) % settings.slotsPerKey())
                  / settings.slotsPerKey();
    }
    if (now < slot.nextStart) return slot.nextStart;
    ProjectState p = keys.projectOf(k);
    if (now < p.pausedUntil) return p.pausedUntil;
    if (p.paced() && now < p.nextStart) return p.nextStart;
    if (p.tokenLimited() && queue.hasReady()) {
      long free = p.tokensFreeAt(now, queue.peekReady().estimatedTokens(system));
      if (now < free) return free;
    }
    return START_NOW;
  }

  /**
   * A task the slot may start now, or null; the caller has checked the key and the slot's pace.
   * Events it raises go to {@code events}, which the caller hands to the slot with the task.
   */
  private TaskState handOut(Slot slot, KeyState k, long now, List<RotatorEvent> events) {
    queue.promoteDelayed(now);
    TaskState t = queue.pick(k, keys, now);
    if (t == null) return null;
    if (ledger.capped()) {
      double reserved = ledger.tryReserve(t.estimatedTokens(system), t.request);
      if (reserved < 0) {
        queue.requeue(t);
        if (reserved == Ledger.NO_ROOM_YET)
          budgetBlocked = true; // room comes back as answers here or batch jobs are billed
        else reachBudget(events);
        return null;
      }
      t.reservedUsd = reserved;
    }
    ProjectState p = keys.projectOf(k);
    p.started(now);
    if (p.tokenLimited()) t.tokens = p.reserve(t.estimatedTokens(system));
    if (p.dailyLimitReached())
      keys.parkProject(
          p,
          "declared daily limit of " + p.limits.requestsPerDay() + " reached",
          events,
          clock.instant());
    inFlight++;
    t.attempts++;
    if (t.waitingSince >= 0) {
      t.waitedNanos += now - t.waitingSince;
      t.waitingSince = -1;
    }
    k.requests++;
    slot.nextStart = now + settings.every().toNanos();
    recorder.started(slot, now);
    throttle.probing(slot.currentSeq);
    if (workWaiters > 0 && queue.hasReady()) work.signalAll();
    return t;
  }

  /**
   * Without pacing, the next task for the slot right away (one lock round-trip per request, not
   * two).
   */
  private TaskState nextWithoutWaiting(Slot slot, List<RotatorEvent> events) {
    KeyState k = keys.key(slot.keyIndex());
    if (!settings.every().isZero()
        || stopping
        || noUsableKeys
        || unfinished == 0
        || k.state != KeyState.State.ACTIVE) return null;
    if (throttle.engaged()) return null;
    ProjectState p = keys.projectOf(k);
    if (p.paced() || p.tokenLimited() || p.pausedUntil > clock.nanoTime()) return null;
    return handOut(slot, k, clock.nanoTime(), events);
  }

  /**
   * Applies one answer to the task and the key. {@code raw} is kept as the response of a failed
   * JSON answer.
   */
  public Effects report(Slot slot, TaskState t, Outcome outcome, String json, String raw) {
    lock.lock();
    try {
      inFlight--;
      ledger.release(t.reservedUsd); // wakes slots waiting for room: budgetFreed
      t.reservedUsd = 0;
      KeyState k = keys.key(slot.keyIndex());
      List<RotatorEvent> events = new ArrayList<>(2);
      Instant now = clock.instant();
      recorder.answered(slot, k, t, outcome);
      settleTokens(t, keys.projectOf(k), outcome);
      boolean wasThrottled = throttle.engaged();
      if (outcome instanceof Outcome.Success s)
        return succeeded(slot, t, k, s, json, wasThrottled, events, now);
      return failed(slot, t, k, (Outcome.Failure) outcome, raw, wasThrottled, events, now);
    } finally {
      lock.unlock();
    }
  }

  /**
   * The task's reserved input tokens give way to what the answer counted (nothing, when it failed).
   */
  private void settleTokens(TaskState t, ProjectState project, Outcome outcome) {
    if (t.tokens == null) return;
    project.settle(
        t.tokens, outcome instanceof Outcome.Success ok ? ok.promptTokens() : 0, clock.nanoTime());
    t.tokens = null;
    timer.signalAll(); // slots waiting for this project's tokens re-check
  }

  private Effects succeeded(
      Slot slot,
      TaskState t,
      KeyState k,
      Outcome.Success s,
      String json,
      boolean wasThrottled,
      List<RotatorEvent> events,
      Instant now) {
    long nanos = clock.nanoTime();
    k.successes++;
    k.consecutiveRateLimits = 0;
    keys.projectOf(k).answeredCleanly();
    throttle.clean(k.key.index(), slot.currentSeq, nanos);
    throttleChanged(wasThrottled, events, now, nanos);
    return finish(
        slot,
        t,
        TaskResult.success(t.task.id(), s, t.attempts, k.key, slot.number(), json),
        events,
        now);
  }

  /**
   * A failed answer: the throttle hears of it, the handler for its kind decides, the task moves
   * where it says.
   */
  private Effects failed(
      Slot slot,
      TaskState t,
      KeyState k,
      Outcome.Failure f,
      String raw,
      boolean wasThrottled,
      List<RotatorEvent> events,
      Instant now) {
    long nanos = clock.nanoTime();
    t.lastFailure = f;
    k.failures++;
    boolean storm = throttleSees(slot, k, f, nanos);
    if (storm && !wasThrottled) keys.forgiveStrikes();
    throttleChanged(wasThrottled, events, now, nanos);
    Failures.Next next =
        handle(new Failures.Failed(t, k, keys.projectOf(k), f, storm, nanos, now, events));
    return switch (next) {
      case Failures.Next.Fail fail -> {
        events.add(attemptFailed(slot, t, k, f, "task failed", now));
        yield finish(
            slot,
            t,
            TaskResult.failure(t.task.id(), f, raw, t.attempts, k.key, slot.number()),
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

  /**
   * One handler per error kind; a storm's 429s and 503s all go to the throttle's (transient errors
   * keep theirs).
   */
  private Failures.Next handle(Failures.Failed a) {
    ErrorType.Kind kind = a.type().kind();
    if (a.storm() && kind != ErrorType.Kind.TRANSIENT) return failures.requeueThrottled(a);
    return switch (kind) {
      case KEY_COOLDOWN -> failures.cool(a);
      case SLOWDOWN -> failures.pauseProject(a);
      case KEY_PARKED -> failures.parkProject(a);
      case KEY_DEAD -> failures.retire(a);
      case TASK -> failures.retryTask(a);
      case TRANSIENT -> failures.retryLater(a);
      case RUN -> stopRun(a.failure(), a.events(), a.now());
    };
  }

  /** Tells the run-wide throttle about a failed answer; true when it belongs to a storm. */
  private boolean throttleSees(Slot slot, KeyState k, Outcome.Failure f, long nanos) {
    switch (f.type().kind()) {
      case KEY_COOLDOWN, SLOWDOWN, TRANSIENT -> {
        return throttle.failed(k.key.index(), slot.currentSeq, f.type(), f.retryDelay(), nanos);
      }
      case TASK ->
          throttle.clean(
              k.key.index(), slot.currentSeq, nanos); // the server answered about the task itself
      default -> throttle.neutral(k.key.index(), slot.currentSeq, nanos);
    }
    return false;
  }

  /** The model is not found (404): the run stops, and nothing more is sent. */
  private Failures.Next stopRun(Outcome.Failure f, List<RotatorEvent> events, Instant now) {
    if (modelMissing == null) {
      modelMissing = f;
      events.add(
          new RotatorEvent.Notice(
              now,
              "model "
                  + settings.model()
                  + " was not found ("
                  + f.summary()
                  + "): the run stops and nothing more is sent; check the model name (and the base URL), then run again to resume"));
    }
    stopping = true;
    wakeAll();
    return new Failures.Next.Requeue("run stopped: model not found");
  }

  /**
   * The task waits for another attempt: its AttemptFailed comes first among the answer's events.
   */
  private Effects retried(
      Slot slot,
      TaskState t,
      KeyState k,
      Outcome.Failure f,
      String why,
      List<RotatorEvent> events,
      Instant now) {
    events.add(0, attemptFailed(slot, t, k, f, why, now));
    if (workWaiters > 0) work.signalAll();
    return new Effects(events, null, nextWithoutWaiting(slot, events));
  }

  private static RotatorEvent attemptFailed(
      Slot slot, TaskState t, KeyState k, Outcome.Failure f, String why, Instant now) {
    return new RotatorEvent.AttemptFailed(
        now, t.task.id(), t.attempts, k.key.display(), slot.number(), f, why);
  }

  private Effects finish(
      Slot slot, TaskState t, TaskResult result, List<RotatorEvent> events, Instant now) {
    TaskResult r = result.withCost(t.costUsd, t.billedTier);
    t.result = r;
    unfinished--;
    recorder.ended(r);
    events.add(RotatorEvent.TaskDone.of(now, r));
    if (unfinished == 0) wakeAll();
    return new Effects(events, r, nextWithoutWaiting(slot, events));
  }

  /** Tells listeners when a storm begins or ends, and wakes the slots so they re-read the gate. */
  private void throttleChanged(boolean was, List<RotatorEvent> events, Instant now, long nanos) {
    if (was == throttle.engaged()) {
      if (was) timer.signalAll(); // a probe's answer moves the gate
      return;
    }
    RunStats.Slowdown sd = throttle.snapshot(nanos);
    events.add(
        new RotatorEvent.Notice(
            now,
            sd.throttled()
                ? "run throttled: "
                    + sd.cause()
                    + " across most keys; one probe at a time, backing off (not counted against keys or task retries)"
                : "storm over after "
                    + Durations.format(sd.throttledFor())
                    + " in all; back to full speed"));
    wakeAll();
  }

  /**
   * The storm has held the run back for maxWait: stop, and leave the unfinished tasks overloaded
   * (redone on a rerun).
   */
  private void giveUpStorm(long nanos, List<RotatorEvent> events) {
    if (stormOutlasted) return;
    stormOutlasted = true;
    stopping = true;
    events.add(
        new RotatorEvent.Notice(
            clock.instant(),
            "the run was throttled ("
                + throttle.snapshot(nanos).cause()
                + ") for "
                + Durations.format(settings.maxWait())
                + " (maxWait): it stops; unfinished tasks get error_type overloaded; run again to resume"));
    wakeAll();
  }

  /**
   * Keys parked on a day whose quota is already spent (from an earlier run), before anything is
   * sent.
   */
  public List<RotatorEvent> parkRemembered(Instant now) {
    lock.lock();
    try {
      return keys.parkRemembered(now);
    } finally {
      lock.unlock();
    }
  }

  /** Called by the key book, under the lock, whenever a key becomes unusable. */
  private void keyLost() {
    if (keys.usable() == 0) noUsableKeys = true;
    wakeAll();
  }

  /** Stops handing out tasks; requests in flight finish normally. */
  public void stop() {
    lock.lock();
    try {
      stopping = true;
      wakeAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * The ledger freed a reservation (an answer here, or a Batch Mode job's): slots waiting for room
   * under maxCost try again.
   */
  private void budgetFreed() {
    lock.lock();
    try {
      if (budgetBlocked) {
        budgetBlocked = false;
        work.signalAll();
      }
    } finally {
      lock.unlock();
    }
  }

  private void wakeAll() {
    timer.signalAll();
    work.signalAll();
  }

  /** Nothing more fits under maxCost and nothing is in flight: stop taking tasks, as on Ctrl-C. */
  private void reachBudget(List<RotatorEvent> events) {
    if (budgetReached) return;
    budgetReached = true;
    stopping = true;
    events.add(new RotatorEvent.Notice(clock.instant(), ledger.capReached()));
    wakeAll();
  }

  /** After every slot has ended: a result for each task left without one, and why the run ended. */
  public End close() {
    lock.lock();
    try {
      End end =
          modelMissing != null
              ? End.MODEL_NOT_FOUND
              : stormOutlasted && unfinished > 0
                  ? End.OVERLOADED
                  : noUsableKeys
                      ? End.NO_USABLE_KEYS
                      : budgetReached && unfinished > 0
                          ? End.BUDGET_REACHED
                          : stopping && unfinished > 0 ? End.STOPPED : End.COMPLETED;
      ErrorType why =
          switch (end) {
            case NO_USABLE_KEYS -> ErrorType.NO_USABLE_KEYS;
            case OVERLOADED -> ErrorType.OVERLOADED;
            case MODEL_NOT_FOUND -> ErrorType.MODEL_NOT_FOUND;
            default -> ErrorType.CANCELLED;
          };
      for (TaskState t : tasks) {
        if (t.result == null) {
          t.result =
              (end == End.BUDGET_REACHED
                      ? TaskResult.overBudget(t.task.id(), ledger.cap(), t.lastFailure, t.attempts)
                      : TaskResult.unfinished(t.task.id(), why, t.lastFailure, t.attempts))
                  .withCost(t.costUsd, t.billedTier);
          if (why != ErrorType.CANCELLED) recorder.leftUnfinished();
        }
      }
      return end;
    } finally {
      lock.unlock();
    }
  }

  public List<Timeline.Entry> timeline() {
    lock.lock();
    try {
      return recorder.timeline();
    } finally {
      lock.unlock();
    }
  }

  /** A consistent snapshot for monitoring; cheap enough to take every second. */
  public Progress progress() {
    lock.lock();
    try {
      long now = clock.nanoTime();
      Recorder.Counts c = recorder.counts();
      return new Progress(
          c.succeeded(),
          c.failed(),
          queue.size(),
          inFlight,
          c.requests(),
          c.rateLimited(),
          keys.stats(now),
          keys.pacedRequestsPerMinute(),
          throttle.snapshot(now));
    } finally {
      lock.unlock();
    }
  }

  public record Progress(
      int succeeded,
      int failed,
      int queued,
      int inFlight,
      long requests,
      long rateLimited,
      List<RunStats.KeyStats> keys,
      double pacedRequestsPerMinute,
      RunStats.Slowdown slowdown) {}
}
