package dev.gkr.internal.batchmode;

import dev.gkr.JobStats;
import dev.gkr.RotatorEvent;
import dev.gkr.RunStats;
import dev.gkr.internal.call.Transport;
import dev.gkr.internal.common.Redactor;
import dev.gkr.internal.config.Settings;
import dev.gkr.internal.cost.Ledger;
import dev.gkr.internal.store.Checkpoint;
import dev.gkr.internal.task.TaskState;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * A run in Gemini Batch Mode (issue 19), on the run's one thread: submits the pending tasks as jobs
 * (up to {@link BatchOptions#jobs} per project at once), polls them with a backoff (seconds at
 * first, then minutes), maps each finished job's answers back to tasks by key, classifies them as a
 * synchronous run does and appends them to the checkpoint as they arrive. Task errors go back to
 * the queue, for a later job on another project where one exists, until {@code maxRetries}; a job
 * that FAILED or EXPIRED gives its tasks back to the queue.
 *
 * <p>Exactly once: every job is written to the {@link BatchJournal} (beside the checkpoint) before
 * it is created and removed only after its results are in the checkpoint, so a rerun after a crash
 * or Ctrl-C re-attaches to it instead of submitting its tasks again. Ctrl-C leaves jobs running at
 * Google; {@code cancelJobs} cancels them.
 *
 * <p>The parts: {@link BatchReattach} picks up the journaled jobs, {@link BatchSubmitter} creates
 * new ones within {@link BatchBudget}, {@link BatchCollector} polls and collects them, {@link
 * BatchWork} holds the queue and the jobs in flight.
 */
public final class BatchMode {
  private final Settings settings;
  private final BatchContext context;
  private final BatchBudget budget;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition never = lock.newCondition();

  public BatchMode(
      Settings settings,
      Redactor redactor,
      Checkpoint checkpoint,
      Ledger ledger,
      Consumer<RotatorEvent> events) {
    this.settings = settings;
    this.context =
        new BatchContext(
            settings,
            redactor,
            checkpoint,
            events,
            new BatchKeyCounts(settings.keys().size()),
            new BatchWork());
    this.budget = new BatchBudget(ledger, context);
  }

  /** The jobs' progress, for {@link RunStats#jobs()}; any thread. */
  public JobStats progress() {
    return context.work().progress();
  }

  /** Adds a key's batch counts to its synchronous ones; any thread. */
  public RunStats.KeyStats addTo(RunStats.KeyStats k, int key) {
    return context.perKey().addTo(k, key);
  }

  /** The requests in the jobs of this run so far (created or re-attached); any thread. */
  public long requests() {
    return context.perKey().requests();
  }

  /** The 429 answers inside jobs so far; any thread. */
  public long rateLimited() {
    return context.perKey().rateLimited();
  }

  /** True when the run stopped at maxCost with tasks left. */
  public boolean budgetReached() {
    return budget.reached();
  }

  /** Runs the jobs of {@code todo} to the end, or until interrupted (Ctrl-C); once per instance. */
  public void run(List<TaskState> todo) {
    BatchJournal journal =
        BatchJournal.load(settings.checkpoint().map(BatchJournal::besides).orElse(null));
    Map<String, TaskState> byId = new HashMap<>();
    for (TaskState t : todo) byId.put(t.task.id(), t);
    BatchWork work = context.work();
    List<BatchLiveJob> live = work.live;
    boolean cancelJobs = settings.batch().cancelJobs();
    try (Transport transport = new Transport(settings, context.redactor())) {
      BatchJobs api = new BatchJobs(settings, transport);
      BatchSubmitter submitter = new BatchSubmitter(context, budget);
      BatchCollector collector = new BatchCollector(context, budget);
      BatchReattach.jobs(context, budget, journal, api, byId);
      for (TaskState t : todo)
        if (live.stream().noneMatch(l -> l.tasks.containsKey(t.task.id()))) work.queue.add(t);
      work.report();
      if (cancelJobs)
        context.notice(
            live.isEmpty()
                ? "no batch jobs of an earlier run to cancel; nothing was submitted"
                : "cancelling "
                    + live.size()
                    + " batch job(s) of an earlier run (finished ones are collected first); nothing new is submitted");
      Duration wait = settings.batch().firstPoll();
      while (!live.isEmpty() || (!work.queue.isEmpty() && !cancelJobs)) {
        if (!cancelJobs) submitter.submit(journal, api);
        work.report();
        boolean news = false;
        for (BatchLiveJob l : List.copyOf(live)) news |= collector.poll(journal, api, l);
        work.report();
        if (cancelJobs) {
          for (BatchLiveJob l : List.copyOf(live)) collector.cancel(journal, api, l);
          work.report();
          break;
        }
        if (live.isEmpty() && work.queue.isEmpty()) break;
        wait =
            news || (budget.waiting() && live.isEmpty()) // room comes from sync answers
                ? settings.batch().firstPoll()
                : min(Duration.ofNanos((long) (wait.toNanos() * 1.5)), settings.batch().maxPoll());
        if (!sleep(wait)) {
          leaveRunning(live);
          return;
        }
      }
    }
  }

  private void leaveRunning(List<BatchLiveJob> live) {
    Thread.currentThread().interrupt();
    if (live.isEmpty()) return;
    context.notice(
        live.size()
            + " batch job(s) left running at Google ("
            + String.join(", ", live.stream().map(l -> l.entry.name()).toList())
            + "): rerun the same command to collect them, or add --cancel-jobs to cancel them");
  }

  /** Waits on the run's clock; false when interrupted (Ctrl-C). */
  private boolean sleep(Duration d) {
    if (Thread.currentThread().isInterrupted()) return false;
    lock.lock();
    try {
      settings.clock().awaitUntil(never, settings.clock().nanoTime() + d.toNanos());
      return !Thread.currentThread().isInterrupted();
    } catch (InterruptedException e) {
      return false;
    } finally {
      lock.unlock();
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  /**
   * Waits for the batch thread of a {@link Mode#AUTO} run; an interrupt (Ctrl-C) is passed on to
   * it, and kept.
   */
  public static void join(Thread batch) {
    boolean interrupted = Thread.interrupted();
    if (interrupted) batch.interrupt();
    while (true) {
      try {
        batch.join();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
        batch.interrupt();
      }
    }
    if (interrupted) Thread.currentThread().interrupt();
  }
}
