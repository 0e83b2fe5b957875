package dev.gkr;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The shared queue, the key states and the rules that connect them: which slot may start which task when,
 * and what an answer does to the task and the key. One lock guards it all; slots hold it only to decide,
 * never while a request is in flight.
 */
final class Scheduler {
  /** How far into the queue a slot looks for a task that has not tried its key. */
  private static final int SCAN = 64;
  private static final Duration MAX_COOLDOWN_BACKOFF = Duration.ofSeconds(60);
  private static final Duration MAX_TRANSIENT_BACKOFF = Duration.ofSeconds(30);

  /**
   * What a report changed, to act on after the lock is released, and, when the slot may start again at once
   * (no pacing), the slot's next task, handed out under the same lock.
   */
  record Effects(List<RotatorEvent> events, TaskResult finished, TaskState next) {}

  enum End { COMPLETED, NO_USABLE_KEYS, OVERLOADED, MODEL_NOT_FOUND, STOPPED, BUDGET_REACHED }

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition timer = lock.newCondition();
  private final Condition work = lock.newCondition();
  private final Settings settings;
  private final Clock clock;
  private final TaskState[] tasks;
  private final KeyBook keys;
  private final ArrayDeque<TaskState> ready = new ArrayDeque<>();
  private final PriorityQueue<TaskState> delayed = new PriorityQueue<>(Comparator.comparingLong(t -> t.notBefore));
  private int unfinished;
  private int inFlight;
  private int workWaiters;
  private int succeeded;
  private int failed;
  private long requests;
  private long rateLimited;
  private boolean stopping;
  private boolean noUsableKeys;
  private final RunThrottle throttle;
  /** A storm held the whole run back for longer than maxWait: the run ends, unfinished tasks are overloaded. */
  private boolean stormOutlasted;
  /** The 404 that stopped the run, once. */
  private Outcome.Failure modelMissing;
  private final Timeline timeline = new Timeline();
  private final String system;
  private long seq;
  private final long origin;

  /** Money spent and reserved against maxCost (issue 19). */
  private final Ledger ledger;
  /** A slot found no room under maxCost while requests were in flight: their answers may free some, so report() wakes it. */
  private boolean budgetBlocked;
  /** Nothing more fits under maxCost: the run stops as on Ctrl-C and says how to continue. */
  private boolean budgetReached;

  Scheduler(Settings settings, List<TaskState> todo, ParkedKeys parked) {
    this(settings, todo, parked, new Ledger(settings));
  }

  Scheduler(Settings settings, List<TaskState> todo, ParkedKeys parked, Ledger ledger) {
    this.ledger = ledger;
    this.settings = settings;
    this.clock = settings.clock();
    this.system = settings.systemInstruction().orElse("");
    this.tasks = todo.toArray(TaskState[]::new);
    this.keys = new KeyBook(settings, parked, this::keyLost);
    this.throttle = new RunThrottle(settings.runThrottle(), keys.projectIndexes(), keys.projectCount(), clock);
    this.unfinished = tasks.length;
    this.origin = clock.nanoTime();
    ready.addAll(todo);
  }

  /**
   * Blocks until {@code slot} may start a task and returns it, or returns null when the slot should end:
   * all tasks finished, the run is stopping, or the slot's key is parked or retired.
   */
  TaskState take(Slot slot) throws InterruptedException {
    lock.lock();
    try {
      KeyState k = keys.key(slot.keyIndex());
      while (true) {
        if (stopping || noUsableKeys || unfinished == 0 || !k.usable()) return null;
        long now = clock.nanoTime();
        if (k.state == KeyState.State.COOLING) {
          if (now < k.coolUntil) {
            clock.awaitUntil(timer, k.coolUntil);
            continue;
          }
          k.state = KeyState.State.ACTIVE;
        }
        if (throttle.engaged() && throttle.stormNanos(now) >= settings.maxWait().toNanos()) {
          giveUpStorm(now);
          return null;
        }
        long gate = throttle.gate(now);
        if (gate != 0) {
          clock.awaitUntil(timer, gate);
          continue;
        }
        if (slot.currentStart < throttle.releasedAt() && slot.nextStart <= throttle.releasedAt()) {
          // First start after a storm: spread the slots of a key across one interval again, as at the run's start,
          // instead of releasing them all in the same instant.
          slot.nextStart = throttle.releasedAt() + 1 + settings.every().toNanos() * ((slot.number() - 1) % settings.slotsPerKey()) / settings.slotsPerKey();
        }
        if (now < slot.nextStart) {
          clock.awaitUntil(timer, slot.nextStart);
          continue;
        }
        ProjectState p = keys.projectOf(k);
        if (now < p.pausedUntil) {
          clock.awaitUntil(timer, p.pausedUntil);
          continue;
        }
        if (p.paced() && now < p.nextStart) {
          clock.awaitUntil(timer, p.nextStart);
          continue;
        }
        if (p.tokenLimited() && !ready.isEmpty()) {
          long free = p.tokensFreeAt(now, ready.peekFirst().estimatedTokens(system));
          if (now < free) {
            clock.awaitUntil(timer, free);
            continue;
          }
        }
        TaskState t = handOut(slot, k, now);
        if (t != null) return t;
        if (stopping) continue; // handOut reached maxCost: end now, not after a wait nobody will signal
        long deadline = delayed.isEmpty() ? Clock.NO_DEADLINE : delayed.peek().notBefore;
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

  /** A task the slot may start now, or null; the caller has checked the key and the slot's pace. */
  private TaskState handOut(Slot slot, KeyState k, long now) {
    promoteDelayed(now);
    TaskState t = pick(k);
    if (t == null) return null;
    if (ledger.capped()) {
      double reserved = ledger.tryReserve(t.estimatedTokens(system), t.request);
      if (reserved < 0) {
        ready.addFirst(t);
        if (inFlight > 0) budgetBlocked = true;
        else reachBudget();
        return null;
      }
      t.reservedUsd = reserved;
    }
    ProjectState p = keys.projectOf(k);
    p.started(now);
    if (p.tokenLimited()) t.tokens = p.reserve(t.estimatedTokens(system));
    if (p.dailyLimitReached()) keys.parkProject(p, "declared daily limit of " + p.limits.requestsPerDay() + " reached", pendingEvents, clock.instant());
    inFlight++;
    requests++;
    t.attempts++;
    if (t.waitingSince >= 0) {
      t.waitedNanos += now - t.waitingSince;
      t.waitingSince = -1;
    }
    k.requests++;
    slot.nextStart = now + settings.every().toNanos();
    slot.currentStart = now;
    slot.currentSeq = ++seq;
    throttle.probing(slot.currentSeq);
    if (workWaiters > 0 && !ready.isEmpty()) work.signalAll();
    return t;
  }

  /** Without pacing, the next task for the slot right away (one lock round-trip per request, not two). */
  private TaskState nextWithoutWaiting(Slot slot) {
    KeyState k = keys.key(slot.keyIndex());
    if (!settings.every().isZero() || stopping || noUsableKeys || unfinished == 0 || k.state != KeyState.State.ACTIVE) return null;
    if (throttle.engaged()) return null;
    ProjectState p = keys.projectOf(k);
    if (p.paced() || p.tokenLimited() || p.pausedUntil > clock.nanoTime()) return null;
    return handOut(slot, k, clock.nanoTime());
  }

  private void promoteDelayed(long now) {
    while (!delayed.isEmpty() && delayed.peek().notBefore <= now) ready.addFirst(delayed.poll());
  }

  /** The first task in reach that has not tried this key; else one that has tried every usable key. */
  private TaskState pick(KeyState k) {
    TaskState fallback = null;
    int scanned = 0;
    for (Iterator<TaskState> it = ready.iterator(); it.hasNext() && scanned++ < SCAN; ) {
      TaskState t = it.next();
      if (!t.tried(k.key.index())) {
        it.remove();
        return t;
      }
      if (fallback == null && !keys.hasUntriedUsableKey(t)) fallback = t;
    }
    if (fallback != null) ready.removeFirstOccurrence(fallback);
    return fallback;
  }

  /** Applies one answer to the task and the key. {@code raw} is kept as the response of a failed JSON answer. */
  Effects report(Slot slot, TaskState t, Outcome outcome, String json, String raw) {
    lock.lock();
    try {
      inFlight--;
      ledger.release(t.reservedUsd);
      t.reservedUsd = 0;
      if (budgetBlocked) {
        budgetBlocked = false;
        work.signalAll();
      }
      KeyState k = keys.key(slot.keyIndex());
      List<RotatorEvent> events = new ArrayList<>(2);
      if (!pendingEvents.isEmpty()) {
        events.addAll(pendingEvents);
        pendingEvents.clear();
      }
      Instant now = clock.instant();
      String code = outcome instanceof Outcome.Failure fl ? fl.type().code() : "ok";
      timeline.add(new Timeline.Entry(slot.number(), k.key.display(), t.task.id(), slot.currentStart - origin,
          outcome.latency().toNanos(), code, slot.currentSeq, ++seq));
      ProjectState project = keys.projectOf(k);
      if (t.tokens != null) {
        project.settle(t.tokens, outcome instanceof Outcome.Success ok ? ok.promptTokens() : 0, clock.nanoTime());
        t.tokens = null;
        timer.signalAll(); // slots waiting for this project's tokens re-check
      }
      long nanos = clock.nanoTime();
      boolean wasThrottled = throttle.engaged();
      if (outcome instanceof Outcome.Success s) {
        k.successes++;
        k.consecutiveRateLimits = 0;
        project.answeredCleanly();
        throttle.clean(k.key.index(), slot.currentSeq, nanos);
        throttleChanged(wasThrottled, events, now, nanos);
        return finish(slot, t, TaskResult.success(t.task.id(), s, t.attempts, k.key, slot.number(), json), events, now);
      }
      Outcome.Failure f = (Outcome.Failure) outcome;
      t.lastFailure = f;
      k.failures++;
      String next;
      boolean storm = switch (f.type().kind()) {
        case KEY_COOLDOWN, SLOWDOWN, TRANSIENT -> throttle.failed(k.key.index(), slot.currentSeq, f.type(), f.retryDelay(), nanos);
        case TASK -> {
          throttle.clean(k.key.index(), slot.currentSeq, nanos); // the server answered about the task itself
          yield false;
        }
        default -> {
          throttle.neutral(k.key.index(), slot.currentSeq, nanos);
          yield false;
        }
      };
      if (storm && !wasThrottled) keys.forgiveStrikes();
      throttleChanged(wasThrottled, events, now, nanos);
      if (storm && f.type().kind() != ErrorType.Kind.TRANSIENT) {
        k.rateLimited++;
        rateLimited++;
        ready.addFirst(t);
        next = "back to the queue: run throttled (" + throttle.snapshot(nanos).cause() + "), no retry used, no strike on the key";
      } else switch (f.type().kind()) {
        case KEY_COOLDOWN -> {
          k.rateLimited++;
          rateLimited++;
          if (k.consecutiveRateLimits++ == 0) k.firstRateLimitAt = nanos;
          t.markTried(k.key.index());
          if (f.type() == ErrorType.RATE_LIMITED && project.paced()) project.rateLimited();
          Duration delay = f.retryDelay().filter(d -> !d.isZero()).orElseGet(() -> backoff(k.consecutiveRateLimits, MAX_COOLDOWN_BACKOFF));
          // Parked only when the key refuses alone and for a while: answers of its slots in flight at once, or
          // refusals shared with other keys (a storm building up), are not the key's.
          boolean keptRefusing = k.consecutiveRateLimits >= settings.maxConsecutiveRateLimits()
              && nanos - k.firstRateLimitAt >= RunThrottle.WINDOW.toNanos() && !throttle.othersFailing(k.key.index());
          if (keptRefusing) {
            keys.park(k, k.consecutiveRateLimits + " rate limits in a row", events, now);
            next = "back to the queue (no retry used)";
          } else if (f.type() == ErrorType.TOKEN_LIMITED) {
            // The project's input tokens are spent for now: every key of it waits, not only this one.
            if (project.tokenLimited()) project.tokenQuotaHit();
            project.pause(nanos + delay.toNanos());
            timer.signalAll();
            next = "back to the queue; project " + project.name + " waits " + Durations.format(delay) + " for input tokens (no retry used)";
          } else {
            keys.cool(k, delay, events, now);
            next = "back to the queue (no retry used)";
          }
          ready.addFirst(t);
        }
        case SLOWDOWN -> {
          k.rateLimited++;
          rateLimited++;
          project.slowdowns++;
          Duration delay = f.retryDelay().filter(d -> !d.isZero()).orElseGet(() -> backoff(project.slowdowns, MAX_COOLDOWN_BACKOFF));
          project.pause(nanos + delay.toNanos());
          next = "back to the queue; project " + project.name + " pauses " + Durations.format(delay) + " (429 without details: a capacity or spend limit, not the key; no retry used)";
          ready.addFirst(t);
        }
        case KEY_PARKED -> {
          k.rateLimited++;
          rateLimited++;
          t.markTried(k.key.index());
          keys.parkProject(project, "daily quota spent", events, now);
          next = "back to the queue (no retry used)";
          ready.addFirst(t);
        }
        case KEY_DEAD -> {
          t.markTried(k.key.index());
          keys.retire(k, f.type(), events, now);
          next = f.type() == ErrorType.MODEL_DENIED ? "back to the queue; this key may not use model " + settings.model() + " (no retry used)"
              : "back to the queue (no retry used)";
          ready.addFirst(t);
        }
        case TASK -> {
          t.taskErrors++;
          t.markTried(k.key.index());
          if (t.taskErrors > settings.maxRetries()) {
            events.add(new RotatorEvent.AttemptFailed(now, t.task.id(), t.attempts, k.key.display(), slot.number(), f, "task failed"));
            return finish(slot, t, TaskResult.failure(t.task.id(), f, raw, t.attempts, k.key, slot.number()), events, now);
          }
          next = "retry " + t.taskErrors + "/" + settings.maxRetries() + (keys.size() > 1 ? " on another key" : "");
          ready.addFirst(t);
        }
        case TRANSIENT -> {
          long budget = settings.maxWait().toNanos();
          if (!storm) t.transientErrors++;
          if (t.waitedNanos >= budget || (!storm && t.transientErrors > settings.transientCap(f.type()))) {
            events.add(new RotatorEvent.AttemptFailed(now, t.task.id(), t.attempts, k.key.display(), slot.number(), f, "task failed"));
            return finish(slot, t, TaskResult.failure(t.task.id(), f, raw, t.attempts, k.key, slot.number()), events, now);
          }
          t.waitingSince = nanos;
          if (storm) {
            ready.addFirst(t);
            next = "back to the queue: run throttled (" + throttle.snapshot(nanos).cause() + "), no retry used";
          } else {
            Duration wait = backoff(t.transientErrors, MAX_TRANSIENT_BACKOFF);
            if (wait.toNanos() > budget - t.waitedNanos) wait = Duration.ofNanos(budget - t.waitedNanos);
            t.notBefore = nanos + wait.toNanos();
            delayed.add(t);
            next = "retry in " + Durations.format(wait) + " (transient " + t.transientErrors
                + (settings.transientCap(f.type()) == Integer.MAX_VALUE ? "" : "/" + settings.transientCap(f.type()))
                + ", waited " + Durations.format(Duration.ofNanos(t.waitedNanos)) + " of " + Durations.format(settings.maxWait()) + ")";
          }
        }
        case RUN -> {
          if (modelMissing == null) {
            modelMissing = f;
            events.add(new RotatorEvent.Notice(now, "model " + settings.model() + " was not found (" + f.summary()
                + "): the run stops and nothing more is sent; check the model name (and the base URL), then run again to resume"));
          }
          stopping = true;
          ready.addFirst(t);
          wakeAll();
          next = "run stopped: model not found";
        }
        default -> throw new IllegalStateException("unexpected error kind " + f.type());
      }
      events.add(0, new RotatorEvent.AttemptFailed(now, t.task.id(), t.attempts, k.key.display(), slot.number(), f, next));
      if (workWaiters > 0) work.signalAll();
      return new Effects(events, null, nextWithoutWaiting(slot));
    } finally {
      lock.unlock();
    }
  }

  private Effects finish(Slot slot, TaskState t, TaskResult result, List<RotatorEvent> events, Instant now) {
    TaskResult r = result.withCost(t.costUsd, t.billedTier);
    t.result = r;
    unfinished--;
    if (r.success()) succeeded++;
    else failed++;
    events.add(new RotatorEvent.TaskDone(now, r.id(), r.success(), r.attempts(), r.key(), r.slot(),
        Duration.ofMillis(r.latencyMs()), r.errorType()));
    if (unfinished == 0) wakeAll();
    return new Effects(events, r, nextWithoutWaiting(slot));
  }

  /** Tells listeners when a storm begins or ends, and wakes the slots so they re-read the gate. */
  private void throttleChanged(boolean was, List<RotatorEvent> events, Instant now, long nanos) {
    if (was == throttle.engaged()) {
      if (was) timer.signalAll(); // a probe's answer moves the gate
      return;
    }
    RunStats.Slowdown sd = throttle.snapshot(nanos);
    events.add(new RotatorEvent.Notice(now, sd.throttled()
        ? "run throttled: " + sd.cause() + " across most keys; one probe at a time, backing off (not counted against keys or task retries)"
        : "storm over after " + Durations.format(sd.throttledFor()) + " in all; back to full speed"));
    wakeAll();
  }

  /** The storm has held the run back for maxWait: stop, and leave the unfinished tasks overloaded (redone on a rerun). */
  private void giveUpStorm(long nanos) {
    if (stormOutlasted) return;
    stormOutlasted = true;
    stopping = true;
    pendingEvents.add(new RotatorEvent.Notice(clock.instant(), "the run was throttled (" + throttle.snapshot(nanos).cause() + ") for "
        + Durations.format(settings.maxWait()) + " (maxWait): it stops; unfinished tasks get error_type overloaded; run again to resume"));
    wakeAll();
  }

  /** Nothing more fits under maxCost and nothing is in flight: stop taking tasks, as on Ctrl-C. */
  private void reachBudget() {
    if (budgetReached) return;
    budgetReached = true;
    stopping = true;
    pendingEvents.add(new RotatorEvent.Notice(clock.instant(), String.format(java.util.Locale.ROOT,
        "max cost %s reached: %s spent, and the next request could cost more than the rest (a request counts as its input "
            + "plus maxOutputTokens of output, 8,192 when not set); the run stops taking tasks. Raise --max-cost (maxCost) and run again "
            + "to resume from the checkpoint", Prices.format(ledger.cap()), Prices.format(ledger.spent()))));
    wakeAll();
  }

  /** Events raised with no report to carry them (a storm outlasting maxWait), for the batch to publish at the end. */
  List<RotatorEvent> drainPending() {
    lock.lock();
    try {
      List<RotatorEvent> out = List.copyOf(pendingEvents);
      pendingEvents.clear();
      return out;
    } finally {
      lock.unlock();
    }
  }

  /** Keys parked on a day whose quota is already spent (from an earlier run), before anything is sent. */
  List<RotatorEvent> parkRemembered(Instant now) {
    lock.lock();
    try {
      return keys.parkRemembered(now);
    } finally {
      lock.unlock();
    }
  }

  /** Events raised while handing out a task (a declared daily limit reached), published with the next report. */
  private final List<RotatorEvent> pendingEvents = new ArrayList<>();

  /** Called by the key book, under the lock, whenever a key becomes unusable. */
  private void keyLost() {
    if (keys.usable() == 0) noUsableKeys = true;
    wakeAll();
  }

  /** Exponential backoff from 1 s, capped, with ±20 % jitter so slots do not return in lockstep. */
  private static Duration backoff(int failures, Duration cap) {
    long base = Math.min(cap.toMillis(), 1000L << Math.min(20, Math.max(0, failures - 1)));
    long jitter = (long) (base * 0.2 * (ThreadLocalRandom.current().nextDouble() * 2 - 1));
    return Duration.ofMillis(Math.max(1, base + jitter));
  }

  /** Stops handing out tasks; requests in flight finish normally. */
  void stop() {
    lock.lock();
    try {
      stopping = true;
      wakeAll();
    } finally {
      lock.unlock();
    }
  }

  private void wakeAll() {
    timer.signalAll();
    work.signalAll();
  }

  /** After every slot has ended: a result for each task left without one, and why the run ended. */
  End close() {
    lock.lock();
    try {
      End end = modelMissing != null ? End.MODEL_NOT_FOUND : stormOutlasted && unfinished > 0 ? End.OVERLOADED
          : noUsableKeys ? End.NO_USABLE_KEYS : budgetReached && unfinished > 0 ? End.BUDGET_REACHED
          : stopping && unfinished > 0 ? End.STOPPED : End.COMPLETED;
      ErrorType why = switch (end) {
        case NO_USABLE_KEYS -> ErrorType.NO_USABLE_KEYS;
        case OVERLOADED -> ErrorType.OVERLOADED;
        case MODEL_NOT_FOUND -> ErrorType.MODEL_NOT_FOUND;
        default -> ErrorType.CANCELLED;
      };
      for (TaskState t : tasks) {
        if (t.result == null) {
          t.result = (end == End.BUDGET_REACHED ? TaskResult.overBudget(t.task.id(), ledger.cap(), t.lastFailure, t.attempts)
              : TaskResult.unfinished(t.task.id(), why, t.lastFailure, t.attempts)).withCost(t.costUsd, t.billedTier);
          if (why != ErrorType.CANCELLED) failed++;
        }
      }
      return end;
    } finally {
      lock.unlock();
    }
  }

  List<Timeline.Entry> timeline() {
    lock.lock();
    try {
      return timeline.entries();
    } finally {
      lock.unlock();
    }
  }

  /** A consistent snapshot for monitoring; cheap enough to take every second. */
  Progress progress() {
    lock.lock();
    try {
      long now = clock.nanoTime();
      return new Progress(succeeded, failed, ready.size() + delayed.size(), inFlight, requests, rateLimited,
          keys.stats(now), keys.pacedRequestsPerMinute(), throttle.snapshot(now));
    } finally {
      lock.unlock();
    }
  }

  record Progress(int succeeded, int failed, int queued, int inFlight, long requests, long rateLimited,
      List<RunStats.KeyStats> keys, double pacedRequestsPerMinute, RunStats.Slowdown slowdown) {}
}
