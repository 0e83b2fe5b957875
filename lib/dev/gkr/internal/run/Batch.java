package dev.gkr.internal.run;

import dev.gkr.ErrorType;
import dev.gkr.JobStats;
import dev.gkr.Outcome;
import dev.gkr.RotatorEvent;
import dev.gkr.RunState;
import dev.gkr.RunStats;
import dev.gkr.Task;
import dev.gkr.internal.batchmode.AutoSplit;
import dev.gkr.internal.batchmode.BatchMode;
import dev.gkr.internal.call.AnswerCheck;
import dev.gkr.internal.call.Transport;
import dev.gkr.internal.common.ApiKey;
import dev.gkr.internal.common.Redactor;
import dev.gkr.internal.config.Settings;
import dev.gkr.internal.cost.Ledger;
import dev.gkr.internal.engine.Scheduler;
import dev.gkr.internal.engine.Slot;
import dev.gkr.internal.engine.Timeline;
import dev.gkr.internal.keys.ParkedKeys;
import dev.gkr.internal.request.TaskRequest;
import dev.gkr.internal.request.TaskRequests;
import dev.gkr.internal.store.Checkpoint;
import dev.gkr.internal.store.ErrorLog;
import dev.gkr.internal.store.TaskHash;
import dev.gkr.internal.table.ResultTable;
import dev.gkr.internal.table.TaskResult;
import dev.gkr.internal.task.TaskState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import tech.tablesaw.api.Table;

/**
 * One run of a batch: restores finished tasks from the checkpoint, starts one virtual thread per
 * slot in an executor it owns, waits for them all, and builds the results table. No thread outlives
 * {@link #run}.
 */
public final class Batch {
  private final Settings settings;
  private final Redactor redactor;
  private final long startNanos;
  private final AtomicReference<Throwable> fatal = new AtomicReference<>();
  private final Ledger ledger;
  private volatile Scheduler scheduler;
  private volatile RunState state = RunState.STARTING;
  private volatile int total;
  private volatile int restoredSucceeded;
  private volatile int restoredFailed;
  private volatile long endNanos;

  /**
   * Successful answers cut off by maxOutputTokens (text mode, or accepted), restored ones included.
   */
  private final java.util.concurrent.atomic.AtomicInteger truncated =
      new java.util.concurrent.atomic.AtomicInteger();

  /**
   * Batch Mode (issue 19): the scheduler sends nothing, so the counts come from the jobs' results.
   */
  private volatile boolean batchMode;

  private volatile BatchMode jobs; // the Batch Mode part of the run, if any

  private volatile boolean syncPart = true; // false when every pending task went into batch jobs

  private final java.util.concurrent.atomic.AtomicInteger batchSucceeded =
      new java.util.concurrent.atomic.AtomicInteger();
  private final java.util.concurrent.atomic.AtomicInteger batchFailed =
      new java.util.concurrent.atomic.AtomicInteger();
  private volatile int batchTotal;

  public Batch(Settings settings) {
    this.settings = settings;
    this.redactor = new Redactor(settings.keys());
    this.ledger = new Ledger(settings);
    this.startNanos = settings.clock().nanoTime();
  }

  public Table run(List<Task> tasks) {
    total = tasks.size();
    TaskRequest[] requests =
        TaskRequests.prepare(settings, tasks); // every row checked before any request
    ledger.check(this::notice); // a cap without a price fails here, before the checkpoint is opened
    TaskResult[] results = new TaskResult[tasks.size()];
    List<TaskState> todo = new ArrayList<>();
    ParkedKeys parked =
        ParkedKeys.load(
            settings.parkedFile().orElse(null)); // first: a bad sidecar leaves no checkpoint behind
    Checkpoint checkpoint =
        settings
            .checkpoint()
            .map(p -> Checkpoint.open(p, this::notice, settings.clock()))
            .orElse(null);
    ErrorLog errorLog = settings.errorLog().map(ErrorLog::open).orElse(null);
    List<Consumer<RotatorEvent>> listeners = new ArrayList<>(settings.listeners());
    if (errorLog != null) listeners.add(errorLog);
    try {
      restore(tasks, requests, checkpoint, results, todo);
      List<TaskState> toBatch =
          AutoSplit.batchPart(settings, todo, this::notice); // issue 19: Batch Mode, or part of it
      java.util.Set<TaskState> batched =
          java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
      batched.addAll(toBatch);
      List<TaskState> toSync = todo.stream().filter(t -> !batched.contains(t)).toList();
      syncPart = !toSync.isEmpty() || toBatch.isEmpty();
      Scheduler sched = new Scheduler(settings, toSync, parked, ledger);
      this.scheduler = sched;
      for (RotatorEvent e : sched.parkRemembered(settings.clock().instant())) publish(listeners, e);
      state = RunState.RUNNING;
      Thread batchThread = null;
      if (!toBatch.isEmpty()) {
        batchMode = true;
        batchTotal = toBatch.size();
        BatchMode jobs =
            new BatchMode(
                settings,
                redactor,
                checkpoint,
                ledger,
                e -> {
                  if (e instanceof RotatorEvent.TaskDone d)
                    (d.success() ? batchSucceeded : batchFailed).incrementAndGet();
                  publish(listeners, e);
                });
        this.jobs = jobs;
        Runnable runJobs =
            () -> {
              try {
                jobs.run(toBatch);
              } catch (Throwable e) {
                fatal.compareAndSet(null, e);
              }
            };
        if (toSync.isEmpty()) runJobs.run();
        else batchThread = Thread.ofVirtual().name("gkr-batch").start(runJobs);
      }
      if (!toSync.isEmpty()) runSlots(sched, checkpoint, listeners);
      if (batchThread != null) BatchMode.join(batchThread);
      boolean batchStopped = false; // Ctrl-C while jobs ran: their tasks are left unfinished
      if (!toBatch.isEmpty() && Thread.currentThread().isInterrupted())
        sched.stop(); // unfinished tasks end as cancelled, as on Ctrl-C
      for (TaskState t : toBatch)
        if (t.result == null) {
          batchStopped |= Thread.currentThread().isInterrupted();
          t.result =
              TaskResult.unfinished(t.task.id(), ErrorType.CANCELLED, t.lastFailure, t.attempts);
        }
      Scheduler.End end = sched.close();
      for (TaskState t : todo) results[t.index] = t.result;
      endNanos = settings.clock().nanoTime();
      state =
          switch (end) {
            case COMPLETED ->
                batchStopped
                    ? RunState.STOPPED
                    : jobs != null && jobs.budgetReached()
                        ? RunState.BUDGET_REACHED
                        : RunState.COMPLETED;
            case NO_USABLE_KEYS -> RunState.NO_USABLE_KEYS;
            case OVERLOADED -> RunState.OVERLOADED;
            case MODEL_NOT_FOUND -> RunState.MODEL_NOT_FOUND;
            case STOPPED -> RunState.STOPPED;
            case BUDGET_REACHED -> RunState.BUDGET_REACHED;
          };
      Throwable f = fatal.get();
      if (f instanceof RuntimeException re) throw re;
      if (f instanceof Error err) throw err;
      return ResultTable.build("results", tasks, Arrays.asList(results), settings.json().enabled());
    } finally {
      if (checkpoint != null) checkpoint.close();
      if (errorLog != null) errorLog.close();
    }
  }

  private void restore(
      List<Task> tasks,
      TaskRequest[] requests,
      Checkpoint checkpoint,
      TaskResult[] results,
      List<TaskState> todo) {
    Map<String, Checkpoint.Entry> done = checkpoint == null ? Map.of() : checkpoint.entries();
    // Each task's hash, once: to match the checkpoint now, and to write with the task's result
    // later.
    String[] hashes = checkpoint == null ? null : TaskHash.ofAll(settings, tasks, requests);
    int changed = 0;
    for (int i = 0; i < tasks.size(); i++) {
      Task t = tasks.get(i);
      Checkpoint.Entry e = done.get(t.id());
      boolean same = e != null && e.hash().equals(hashes[i]);
      if (same && (e.result().success() || !settings.retryFailed())) {
        results[i] = ledger.restoredCost(e.result());
        if (e.result().success()) restoredSucceeded++;
        else restoredFailed++;
        if (e.result().truncated()) truncated.incrementAndGet();
      } else {
        if (e != null && !same) changed++;
        todo.add(new TaskState(i, t, hashes == null ? "" : hashes[i], requests[i]));
      }
    }
    if (changed > 0)
      notice(
          changed + " task(s) changed since the checkpoint (prompt or settings); they are redone");
  }

  private void runSlots(
      Scheduler sched, Checkpoint checkpoint, List<Consumer<RotatorEvent>> listeners) {
    boolean interrupted = false;
    try (Transport transport = new Transport(settings, redactor)) {
      ExecutorService slots =
          Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("gkr-slot-", 1).factory());
      long every = settings.every().toNanos();
      // Planned now that the transport is built (which takes a while with many keys), not when the
      // batch began:
      // first starts planned earlier would all lie in the past, and every slot of a key would fire
      // at once.
      long origin = settings.clock().nanoTime();
      int number = 1;
      for (int k = 0; k < settings.keys().size(); k++) {
        for (int j = 0; j < settings.slotsPerKey(); j++) {
          // Stagger a key's slots across one interval so its requests arrive evenly, not in bursts.
          Slot slot = new Slot(number++, k, origin + every * j / settings.slotsPerKey());
          slots.execute(() -> work(sched, transport, slot, checkpoint, listeners));
        }
      }
      slots.shutdown();
      try {
        while (!slots.awaitTermination(1, TimeUnit.DAYS)) {
          /* a batch may run for days */
        }
      } catch (InterruptedException e) {
        interrupted = true;
        stop(sched, slots, transport);
      }
    } finally {
      if (interrupted) Thread.currentThread().interrupt();
    }
  }

  /**
   * Graceful stop: no new requests, in-flight ones get the grace period, then everything is
   * cancelled.
   */
  private void stop(Scheduler sched, ExecutorService slots, Transport transport) {
    state = RunState.STOPPING;
    sched.stop();
    try {
      if (!slots.awaitTermination(settings.gracePeriod().toNanos(), TimeUnit.NANOSECONDS))
        hardStop(slots, transport);
    } catch (InterruptedException again) {
      hardStop(slots, transport);
    }
  }

  private static void hardStop(ExecutorService slots, Transport transport) {
    transport.cancelAll();
    slots.shutdownNow();
    try {
      slots.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException ignored) {
      // already stopping as fast as we can
    }
  }

  private void work(
      Scheduler sched,
      Transport transport,
      Slot slot,
      Checkpoint checkpoint,
      List<Consumer<RotatorEvent>> listeners) {
    ApiKey key = settings.keys().get(slot.keyIndex());
    LIVE_SLOTS.incrementAndGet();
    try {
      TaskState t = take(sched, slot, listeners);
      while (t != null) {
        Outcome sent = transport.generate(key, t.task.prompt(), t.request);
        ledger.charge(t, key.index(), sent);
        AnswerCheck checked = AnswerCheck.of(settings, sent);
        Outcome o = checked.outcome();
        String json = checked.json();
        String raw = checked.raw();
        Scheduler.Effects fx = sched.report(slot, t, o, json, raw);
        if (fx.finished() != null && checkpoint != null)
          checkpoint.append(t.task, t.hash, fx.finished());
        if (fx.finished() != null && fx.finished().truncated()) truncated.incrementAndGet();
        for (RotatorEvent e : fx.events()) publish(listeners, e);
        t = fx.next() != null ? fx.next() : take(sched, slot, listeners);
      }
    } catch (InterruptedException e) {
      // hard stop: this slot's task (if any) is left unfinished and redone on resume
    } catch (Throwable e) {
      fatal.compareAndSet(null, e instanceof IOException io ? new UncheckedIOException(io) : e);
      sched.stop();
    } finally {
      LIVE_SLOTS.decrementAndGet();
    }
  }

  /** The slot's next task (null: the slot ends), after publishing what handing it out raised. */
  private static TaskState take(Scheduler sched, Slot slot, List<Consumer<RotatorEvent>> listeners)
      throws InterruptedException {
    Scheduler.Handout h = sched.take(slot);
    for (RotatorEvent e : h.events()) publish(listeners, e);
    return h.task();
  }

  private static void publish(List<Consumer<RotatorEvent>> listeners, RotatorEvent e) {
    for (Consumer<RotatorEvent> l : listeners) {
      try {
        l.accept(e);
      } catch (RuntimeException ignored) {
        // a listener must not break the run (documented on RotatorEvent)
      }
    }
  }

  private void notice(String message) {
    publish(settings.listeners(), new RotatorEvent.Notice(settings.clock().instant(), message));
  }

  /** Live count of slot threads, so tests can prove that none outlives {@link #run}. */
  public static final java.util.concurrent.atomic.AtomicInteger LIVE_SLOTS =
      new java.util.concurrent.atomic.AtomicInteger();

  public List<Timeline.Entry> timelineEntries() {
    Scheduler s = scheduler;
    return s == null ? List.of() : s.timeline();
  }

  public Table timeline() {
    Scheduler s = scheduler;
    return Timeline.table(s == null ? List.of() : s.timeline());
  }

  public RunStats stats() {
    Scheduler s = scheduler;
    if (s == null) return RunStats.empty();
    Scheduler.Progress p = s.progress();
    long now = endNanos != 0 ? endNanos : settings.clock().nanoTime();
    Duration elapsed = Duration.ofNanos(Math.max(0, now - startNanos));
    double seconds = Math.max(1e-9, elapsed.toNanos() / 1e9);
    // Rate and ETA of the synchronous part only: a batch job's requests are not paced.
    double perSecond = p.requests() / seconds;
    int syncDone = p.succeeded() + p.failed();
    int syncLeft = p.queued() + p.inFlight();
    Optional<Duration> eta =
        syncDone == 0 || syncLeft == 0
            ? Optional.empty()
            : Optional.of(Duration.ofMillis((long) (syncLeft * seconds * 1000 / syncDone)));
    BatchMode b = jobs;
    JobStats jobStats = b == null ? JobStats.NONE : b.progress();
    if (batchMode) {
      int ok = batchSucceeded.get(), bad = batchFailed.get();
      p =
          new Scheduler.Progress(
              p.succeeded() + ok,
              p.failed() + bad,
              p.queued() + (state == RunState.RUNNING ? jobStats.queued() : 0),
              p.inFlight(),
              p.requests() + (b == null ? 0 : b.requests()),
              p.rateLimited() + (b == null ? 0 : b.rateLimited()),
              p.keys(),
              p.pacedRequestsPerMinute(),
              p.slowdown());
    }
    List<RunStats.KeyStats> keys = new ArrayList<>(p.keys().size());
    for (int i = 0; i < p.keys().size(); i++) { // KeyBook lists keys by index
      RunStats.KeyStats k = p.keys().get(i).withCostUsd(ledger.keySpent(i));
      keys.add(b == null ? k : b.addTo(k, i));
    }
    return RunStats.builder()
        .total(total)
        .restored(restoredSucceeded + restoredFailed)
        .succeeded(p.succeeded() + restoredSucceeded)
        .failed(p.failed() + restoredFailed)
        .queued(p.queued())
        .active(p.inFlight())
        .slots(settings.slotCount())
        .requests(p.requests())
        .rateLimited(p.rateLimited())
        .elapsed(elapsed)
        .requestsPerSecond(perSecond)
        .eta(eta)
        .state(state)
        .keys(keys)
        .pacedRequestsPerMinute(p.pacedRequestsPerMinute())
        .slowdown(p.slowdown())
        .truncated(truncated.get())
        .costUsd(ledger.spent())
        .jobs(jobStats)
        .batchPart(batchMode)
        .syncPart(syncPart)
        .build();
  }
}
