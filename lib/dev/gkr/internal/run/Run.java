package dev.gkr.internal.run;

import dev.gkr.RotatorEvent;
import dev.gkr.RunState;
import dev.gkr.RunStats;
import dev.gkr.Task;
import dev.gkr.internal.batchmode.AutoSplit;
import dev.gkr.internal.batchmode.BatchLoop;
import dev.gkr.internal.call.CacheSetup;
import dev.gkr.internal.call.Transport;
import dev.gkr.internal.common.Listeners;
import dev.gkr.internal.common.Redactor;
import dev.gkr.internal.common.SideFiles;
import dev.gkr.internal.config.Settings;
import dev.gkr.internal.cost.CacheChoice;
import dev.gkr.internal.cost.Ledger;
import dev.gkr.internal.cost.PriceTier;
import dev.gkr.internal.engine.Scheduler;
import dev.gkr.internal.engine.SlotPool;
import dev.gkr.internal.engine.SyncEnd;
import dev.gkr.internal.engine.Timeline;
import dev.gkr.internal.json.RecordSchemas;
import dev.gkr.internal.keys.ParkedKeys;
import dev.gkr.internal.plan.CachePlan;
import dev.gkr.internal.request.ModelFit;
import dev.gkr.internal.request.TaskRequest;
import dev.gkr.internal.request.TaskRequests;
import dev.gkr.internal.store.CacheJournal;
import dev.gkr.internal.store.Checkpoint;
import dev.gkr.internal.table.RecordColumns;
import dev.gkr.internal.table.ResultTable;
import dev.gkr.internal.table.TaskResult;
import dev.gkr.internal.task.TaskState;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import tech.tablesaw.api.Table;

/**
 * One run: checks every task, restores the finished ones from the checkpoint, hands the rest to the
 * synchronous part ({@link Scheduler} and {@link SlotPool}), to Batch Mode ({@link BatchLoop}), or
 * to both ({@link AutoSplit}), waits for them, and builds the results table. No thread outlives
 * {@link #run}; {@link #stats()} may be called from any thread meanwhile.
 */
public final class Run {
  private final Settings settings;
  private final Redactor redactor;
  private final Ledger ledger;
  private final RunProgress progress;

  /** Synchronous tasks with their own system instruction or config (run thread only). */
  private long ownSettings;

  /** Some project's requests name a context cache: the rows get a {@code cache} column. */
  private boolean cacheDecided;

  public Run(Settings settings) {
    this.settings = settings;
    this.redactor = new Redactor(settings.keys());
    this.ledger =
        new Ledger(
            settings.prices(),
            settings.models(),
            settings.serviceTier().orElse(PriceTier.STANDARD),
            settings.maxCost().orElse(Double.POSITIVE_INFINITY),
            settings.maxOutputTokens(),
            settings.keys().size());
    this.progress = new RunProgress(settings, ledger);
  }

  /** Runs the tasks and returns one row per task, in input order. Once per instance. */
  public Table run(List<Task> tasks) {
    progress.starting(tasks.size());
    settings.endpoint(System.getenv()); // no key in clear text: refused before any request
    TaskRequest[] requests =
        TaskRequests.prepare(settings, tasks); // every row checked before any request
    ModelFit.check( // settings every model of the chain takes, or a refusal naming the model
        settings.models(),
        settings.request().generationConfig(),
        tasks.stream().map(Task::id).toList(),
        requests);
    ledger.check(this::notice); // a cap without a price fails here, before the checkpoint is opened
    ParkedKeys parked = // first: a bad sidecar leaves no checkpoint behind
        ParkedKeys.load(settings.besideCheckpoint(SideFiles.PARKED_KEYS).orElse(null));
    CacheJournal caches = CacheJournal.load(settings.besideCheckpoint(SideFiles.CACHE_JOURNAL));
    Checkpoint checkpoint =
        settings
            .checkpoint()
            .map(p -> Checkpoint.open(p, this::notice, settings.clock()))
            .orElse(null);
    List<Consumer<RotatorEvent>> listeners = settings.listeners();
    Consumer<RotatorEvent> events = e -> Listeners.publish(listeners, e);
    try {
      Restore restore = Restore.of(settings, ledger, checkpoint, tasks, requests, this::notice);
      progress.restored(restore);
      List<TaskState> todo = restore.todo();
      List<TaskState> toBatch = AutoSplit.batchPart(settings, todo, this::notice);
      Set<TaskState> batched = Collections.newSetFromMap(new IdentityHashMap<>());
      batched.addAll(toBatch);
      List<TaskState> toSync = todo.stream().filter(t -> !batched.contains(t)).toList();
      Scheduler scheduler = new Scheduler(settings, toSync, parked, ledger);
      progress.started(scheduler, toSync.isEmpty() && !toBatch.isEmpty());
      scheduler.parkRemembered(settings.clock().instant()).forEach(events);
      if (toSync.isEmpty() && !caches.entries().isEmpty()) // a killed run's, and none to use now
      new Transport(settings, redactor, leftovers(caches)).close();
      AtomicReference<Throwable> fatal = new AtomicReference<>();
      BatchLoop jobs = toBatch.isEmpty() ? null : startBatch(checkpoint, events, fatal);
      Thread batchThread = null;
      if (jobs != null) {
        Runnable runJobs = () -> runGuarded(() -> jobs.run(toBatch), fatal);
        if (toSync.isEmpty()) runJobs.run();
        else batchThread = Thread.ofVirtual().name("gkr-batch").start(runJobs);
      }
      if (!toSync.isEmpty())
        runSync(scheduler, checkpoint, events, cacheSetup(toSync, caches)).ifPresent(fatal::set);
      if (batchThread != null) BatchLoop.join(batchThread);
      boolean interrupted = Thread.currentThread().isInterrupted();
      if (jobs != null && interrupted) scheduler.stop(); // unfinished tasks end as cancelled
      boolean batchStopped = jobs != null && interrupted && jobs.leftUnfinished() > 0;
      SyncEnd end = scheduler.close();
      progress.ended(state(end, batchStopped, jobs));
      rethrow(fatal.get());
      TaskResult[] results = restore.results();
      for (TaskState t : todo) results[t.index()] = t.result();
      Table table =
          ResultTable.build("results", tasks, Arrays.asList(results), settings.json().enabled());
      if (cacheDecided) CacheColumn.add(table, toSync, settings.model());
      return settings
          .json()
          .type()
          .map(type -> RecordColumns.add(table, RecordSchemas.of(type)))
          .orElse(table);
    } finally {
      if (checkpoint != null) checkpoint.close();
    }
  }

  private BatchLoop startBatch(
      Checkpoint checkpoint, Consumer<RotatorEvent> events, AtomicReference<Throwable> fatal) {
    BatchLoop jobs = new BatchLoop(settings, redactor, checkpoint, ledger, events);
    progress.batchMode(jobs);
    return jobs;
  }

  private static void runGuarded(Runnable r, AtomicReference<Throwable> fatal) {
    try {
      r.run();
    } catch (Throwable e) {
      fatal.compareAndSet(null, e);
    }
  }

  /**
   * The context cache decided per project for the synchronous tasks that start with the shared
   * context (a task with its own system instruction or config runs inline); null when nothing is
   * shared and no earlier run left caches.
   */
  private CacheSetup cacheSetup(List<TaskState> toSync, CacheJournal journal) {
    if (!CachePlan.shares(settings)) return journal.entries().isEmpty() ? null : leftovers(journal);
    long own = toSync.stream().filter(t -> t.request() != null && t.request().overridden()).count();
    CacheSetup setup =
        new CacheSetup(
            CachePlan.of(
                settings, toSync.stream().map(TaskState::task).toList(), toSync.size() - own),
            CachePlan.hash(settings),
            journal,
            ledger,
            this::notice);
    ownSettings = own;
    cacheDecided = setup.choices().stream().anyMatch(CacheChoice::cached);
    progress.contextCache(withOwn(setup.choices().stream().map(CacheChoice::text).toList(), setup));
    return setup;
  }

  /**
   * No cache for this run, only the journal of an earlier, killed one: the transport deletes every
   * cache it names (a rerun without the context, or with nothing to ask synchronously).
   */
  private CacheSetup leftovers(CacheJournal journal) {
    return new CacheSetup(List.of(), "", journal, ledger, this::notice);
  }

  /** The lines per project, and how many tasks went inline for their own settings. */
  private List<String> withOwn(List<String> perProject, CacheSetup setup) {
    if (ownSettings == 0 || setup.choices().stream().noneMatch(CacheChoice::cached))
      return perProject;
    List<String> out = new java.util.ArrayList<>(perProject);
    out.add(
        dev.gkr.internal.common.Numbers.count(ownSettings, "task")
            + " ran inline (its own system instruction or config)");
    return out;
  }

  /** The synchronous part, with the transport it owns. */
  private Optional<Throwable> runSync(
      Scheduler scheduler, Checkpoint checkpoint, Consumer<RotatorEvent> events, CacheSetup cache) {
    Transport transport = new Transport(settings, redactor, cache);
    try (transport) {
      return new SlotPool(
              settings,
              scheduler,
              transport,
              ledger,
              checkpoint,
              events,
              () -> progress.state(RunState.STOPPING))
          .run();
    } finally {
      if (cache != null) progress.contextCache(withOwn(transport.cacheReport(), cache));
    }
  }

  private static RunState state(SyncEnd end, boolean batchStopped, BatchLoop jobs) {
    return switch (end) {
      case COMPLETED ->
          batchStopped
              ? RunState.STOPPED
              : jobs != null && jobs.budgetReached() ? RunState.BUDGET_REACHED : RunState.COMPLETED;
      case NO_USABLE_KEYS -> RunState.NO_USABLE_KEYS;
      case OVERLOADED -> RunState.OVERLOADED;
      case MODEL_NOT_FOUND -> RunState.MODEL_NOT_FOUND;
      case UNREACHABLE -> RunState.UNREACHABLE;
      case STOPPED -> RunState.STOPPED;
      case BUDGET_REACHED -> RunState.BUDGET_REACHED;
    };
  }

  private static void rethrow(Throwable f) {
    if (f instanceof RuntimeException re) throw re;
    if (f instanceof Error err) throw err;
  }

  /** Hands an event to every listener; one that throws is ignored (see {@link RotatorEvent}). */
  private void notice(String message) {
    Listeners.publish(
        settings.listeners(), new RotatorEvent.Notice(settings.clock().instant(), message));
  }

  /** Every request of the run so far, ordered by hand-out. */
  public List<Timeline.Entry> timeline() {
    return progress.timeline();
  }

  /** Counts, throughput and key states now; any thread. */
  public RunStats stats() {
    return progress.stats();
  }
}
