package dev.gkr.internal.engine;

import dev.gkr.ErrorType;
import dev.gkr.RotatorEvent;
import dev.gkr.internal.call.AnswerCheck;
import dev.gkr.internal.common.Clock;
import dev.gkr.internal.config.Settings;
import dev.gkr.internal.cost.Ledger;
import dev.gkr.internal.keys.KeyBook;
import dev.gkr.internal.keys.KeyState;
import dev.gkr.internal.keys.ParkedKeys;
import dev.gkr.internal.keys.ProjectState;
import dev.gkr.internal.table.TaskResult;
import dev.gkr.internal.task.RetryPolicy;
import dev.gkr.internal.task.TaskState;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The shared queue, the key states and the rules that connect them: which slot may start which task
 * when ({@link #take}, with the {@link StartGate}), and what an answer does to the task and the key
 * ({@link #report}, which hands a failure to the {@link Failures} handler for its kind). One lock
 * guards it all, including the {@link TaskQueue}, {@link KeyBook}, {@link RunThrottle}, {@link
 * Recorder} and the task, key, project and slot states they reach; slots hold it only to decide,
 * never while a request is in flight. Events are collected under the lock and returned to the slot,
 * which publishes them after releasing it.
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
  private final StartGate gate;

  /** Money spent and reserved against maxCost. */
  private final Ledger ledger;

  private final Course course;
  private final ModelChain chain;
  private final Reports reports;
  private int workWaiters;

  /**
   * A slot found no room under maxCost while requests were in flight: their answers may free some,
   * so report() wakes it.
   */
  private boolean budgetBlocked;

  /** Takes {@code todo} over: from now on its tasks change only under this scheduler's lock. */
  public Scheduler(Settings settings, List<TaskState> todo, ParkedKeys parked, Ledger ledger) {
    this.ledger = ledger;
    this.settings = settings;
    this.clock = settings.clock();
    this.system = settings.systemInstruction().orElse("");
    this.tasks = todo.toArray(TaskState[]::new);
    for (TaskState t : tasks) t.handTo(lock::isHeldByCurrentThread);
    this.keys =
        new KeyBook(
            settings.keys(),
            settings.projectOfKey(),
            settings.limits(),
            settings.models(),
            parked,
            clock,
            this::keyLost);
    this.throttle =
        new RunThrottle(settings.runThrottle(), keys.projectIndexes(), keys.projectCount(), clock);
    this.recorder = new Recorder(clock.nanoTime());
    this.failures =
        new Failures(
            new RetryPolicy(settings.maxRetries(), settings.transientRetries(), settings.maxWait()),
            settings.maxConsecutiveRateLimits(),
            keys,
            throttle,
            recorder,
            timer);
    this.course = new Course(tasks.length);
    ledger.onRelease(this::budgetFreed); // a slot waiting for room under maxCost tries again
    this.queue = new TaskQueue(todo);
    this.gate = new StartGate(settings, throttle, keys, queue, system);
    this.chain = new ModelChain(settings.model(), settings.fallbacks());
    this.reports =
        new Reports(
            chain,
            clock,
            keys,
            throttle,
            recorder,
            failures,
            queue,
            course,
            new NetworkWatch(settings.maxWait()),
            new Reports.Wake() {
              @Override
              public void timers() {
                timer.signalAll();
              }

              @Override
              public void all() {
                wakeAll();
              }

              @Override
              public void idle() {
                if (workWaiters > 0) work.signalAll();
              }
            },
            this::nextWithoutWaiting);
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
        if (course.over() || !k.usable()) return new Handout(events, null);
        long now = clock.nanoTime();
        if (k.coolingAt(now)) {
          clock.awaitUntil(timer, k.coolUntil());
          continue;
        }
        k.warmUp(now);
        String fell = chain.fallBackIfDue(throttle, now);
        if (fell == null && k.deniedModel(chain.current())) fell = chain.deniedEverywhere(keys);
        if (fell != null) {
          events.add(new RotatorEvent.Notice(clock.instant(), fell));
          wakeAll();
        }
        if (!chain.usableBy(k)) {
          keys.retire(k, ErrorType.MODEL_DENIED, events, clock.instant());
          return new Handout(events, null);
        }
        if (k.deniedModel(chain.current())) {
          awaitWork(Clock.NO_DEADLINE); // the run asks a model this key may not use
          continue;
        }
        if (throttle.engaged() && throttle.stormNanos(now) >= settings.maxWait().toNanos()) {
          giveUpStorm(now, events);
          return new Handout(events, null);
        }
        long until = gate.until(slot, k, chain.current(), now);
        if (until != StartGate.NOW) {
          clock.awaitUntil(timer, Math.min(until, chain.fallbackDue(throttle, now)));
          continue;
        }
        TaskState t = handOut(slot, k, now, events);
        if (t != null) return new Handout(events, t);
        if (course.stopping())
          continue; // handOut reached maxCost: end now, not after a wait nobody will signal
        awaitWork(queue.nextDelayed());
      }
    } finally {
      lock.unlock();
    }
  }

  /** Waits, under the lock, until a task comes back, the run changes course or the deadline. */
  private void awaitWork(long deadline) throws InterruptedException {
    workWaiters++;
    try {
      clock.awaitUntil(work, deadline);
    } finally {
      workWaiters--;
    }
  }

  /**
   * A task the slot may start now, or null; the caller has checked the key and the slot's pace.
   * Events it raises go to {@code events}, which the caller hands to the slot with the task.
   */
  private TaskState handOut(Slot slot, KeyState k, long now, List<RotatorEvent> events) {
    queue.promoteDelayed(now);
    TaskState t = queue.pick(k, keys, i -> keys.key(i).deniedModel(chain.current()), now);
    if (t == null) return null;
    if (ledger.capped()) {
      double reserved =
          ledger.tryReserve(t.estimatedTokens(system), t.request().ownMaxOutputTokens());
      if (reserved < 0) {
        queue.requeue(t);
        if (reserved == Ledger.NO_ROOM_YET)
          budgetBlocked = true; // room comes back as answers here or batch jobs are billed
        else
          reachBudget(
              ledger.worstCase(t.estimatedTokens(system), t.request().ownMaxOutputTokens()),
              events);
        return null;
      }
      t.reserved(reserved);
    }
    recorder.started(slot, now);
    throttle.probing(slot.currentSeq());
    slot.asks(chain.pick(slot.currentSeq(), k, keys, now, throttle.engaged()));
    ProjectState p = keys.projectOf(k, slot.model()); // the model's own quota in the project
    p.started(now);
    if (p.tokenLimited()) t.holdTokens(p.reserve(t.estimatedTokens(system)));
    if (p.dailyLimitReached()) chain.dayReached(k, slot.model(), keys, events, clock.instant());
    course.started();
    t.attemptStarted(now);
    k.requestStarted();
    slot.paceFrom(now + settings.every().toNanos());
    if (workWaiters > 0 && queue.hasReady()) work.signalAll();
    return t;
  }

  /**
   * Without pacing, the next task for the slot right away (one lock round-trip per request, not
   * two).
   */
  private TaskState nextWithoutWaiting(Slot slot, List<RotatorEvent> events) {
    KeyState k = keys.key(slot.keyIndex());
    if (course.over() || k.state() != KeyState.State.ACTIVE) return null;
    if (k.deniedModel(chain.current())) return null; // take() waits until the run asks another
    if (!gate.unpaced(k, chain.current(), clock.nanoTime())) return null;
    return handOut(slot, k, clock.nanoTime(), events);
  }

  /**
   * Applies one answer to the task and the key: its bill (Google's, whatever gkr then makes of the
   * answer), then the answer as JSON mode checked it.
   */
  public Effects report(Slot slot, TaskState t, AnswerCheck answer, Optional<Ledger.Bill> bill) {
    lock.lock();
    try {
      course.answered();
      bill.ifPresent(t::charged);
      ledger.release(t.releaseReservation()); // wakes slots waiting for room: budgetFreed
      return reports.apply(slot, t, answer);
    } finally {
      lock.unlock();
    }
  }

  /**
   * The storm has held the run back for maxWait: stop, and leave the unfinished tasks overloaded
   * (redone on a rerun).
   */
  private void giveUpStorm(long nanos, List<RotatorEvent> events) {
    if (!course.stormOutlasted()) return;
    events.add(
        new RotatorEvent.Notice(
            clock.instant(),
            EngineNotices.stormOutlasted(throttle.snapshot(nanos).cause(), settings.maxWait())));
    wakeAll();
  }

  /**
   * Keys parked on a day whose quota is already spent (from an earlier run), before anything is
   * sent.
   */
  public List<RotatorEvent> parkRemembered(java.time.Instant now) {
    lock.lock();
    try {
      return keys.parkRemembered(now);
    } finally {
      lock.unlock();
    }
  }

  /** Called by the key book, under the lock, whenever a key becomes unusable. */
  private void keyLost() {
    if (keys.usable() == 0) course.noUsableKeys();
    wakeAll();
  }

  /** Stops handing out tasks; requests in flight finish normally. */
  public void stop() {
    lock.lock();
    try {
      course.stop();
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
  private void reachBudget(double next, List<RotatorEvent> events) {
    if (!course.budgetReached()) return;
    events.add(new RotatorEvent.Notice(clock.instant(), ledger.capReached(next)));
    wakeAll();
  }

  /** After every slot has ended: a result for each task left without one, and why the run ended. */
  public SyncEnd close() {
    lock.lock();
    try {
      SyncEnd end = course.end();
      for (TaskState t : tasks) {
        if (t.finished()) continue;
        if (end == SyncEnd.BUDGET_REACHED) t.leaveOverBudget(ledger.cap());
        else t.leaveUnfinished(end.unfinished());
        if (end.unfinished() != ErrorType.CANCELLED) recorder.leftUnfinished();
      }
      return end;
    } finally {
      lock.unlock();
    }
  }

  /** Every request answered so far. */
  public List<Timeline.Entry> timeline() {
    return timeline(Integer.MAX_VALUE);
  }

  /** The first {@code n} requests answered (those of an earlier {@link #progress}). */
  public List<Timeline.Entry> timeline(int n) {
    lock.lock();
    try {
      return recorder.timeline(n);
    } finally {
      lock.unlock();
    }
  }

  /** A consistent snapshot for monitoring; cheap enough to take every second. */
  public SyncProgress progress() {
    lock.lock();
    try {
      long now = clock.nanoTime();
      Recorder.Counts c = recorder.counts();
      return new SyncProgress(
          c.succeeded(),
          c.failed(),
          queue.size(),
          course.inFlight(),
          c.requests(),
          c.rateLimited(),
          c.truncated(),
          recorder.answered(),
          keys.stats(now, chain.current()),
          keys.pacedRequestsPerMinute(chain.current()),
          throttle.snapshot(now),
          recorder.succeededPerModel());
    } finally {
      lock.unlock();
    }
  }
}
