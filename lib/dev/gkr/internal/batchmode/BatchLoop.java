package dev.gkr.internal.batchmode;

import dev.gkr.ErrorType;
import dev.gkr.JobStats;
import dev.gkr.KeyStats;
import dev.gkr.RotatorEvent;
import dev.gkr.RunStats;
import dev.gkr.internal.call.Transport;
import dev.gkr.internal.common.Redactor;
import dev.gkr.internal.config.Settings;
import dev.gkr.internal.cost.Ledger;
import dev.gkr.internal.store.Checkpoint;
import dev.gkr.internal.task.RetryPolicy;
import dev.gkr.internal.task.TaskState;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The Batch Mode part of a run, on one thread (the batch thread): submits the pending tasks as jobs
 * (up to {@link BatchOptions#jobs} per project at once), polls them with a backoff (seconds at
 * first, then minutes), maps each finished job's answers back to tasks by key, classifies them as a
 * synchronous run does and appends them to the checkpoint as they arrive. Failed answers go back to
 * the queue for a later job (on another project where one exists) while the {@link RetryPolicy}
 * allows; a job that FAILED or EXPIRED gives its tasks back to the queue.
 *
 * <p>Exactly once: every job is written to the {@link BatchJournal} (beside the checkpoint) before
 * it is created and removed only after its results are in the checkpoint, so a rerun after a crash
 * or Ctrl-C re-attaches to it instead of submitting its tasks again. Ctrl-C leaves jobs running at
 * Google; {@code cancelJobs} cancels them.
 *
 * <p>The parts: {@link BatchReattach} picks up the journaled jobs, {@link BatchSubmitter} creates
 * new ones within {@link BatchBudget}, {@link BatchCollector} polls and collects them, {@link
 * BatchWork} holds the queue and the jobs in flight. The tasks handed to {@link #run} are owned by
 * the thread that runs it until it returns.
 */
public final class BatchLoop {
  private final Settings settings;
  private final BatchContext context;
  private final BatchBudget budget;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition never = lock.newCondition();

  public BatchLoop(
      Settings settings,
      Redactor redactor,
      Checkpoint checkpoint,
      Ledger ledger,
      Consumer<RotatorEvent> events) {
    this.settings = settings;
    this.context =
        new BatchContext(
            settings,
            new RetryPolicy(settings.maxRetries(), settings.transientRetries(), settings.maxWait()),
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

  /** A key's synchronous figures with its batch counts added; any thread. */
  public KeyStats addTo(KeyStats k, int key) {
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

  /** Tasks of jobs that ended with a success so far; any thread. */
  public int succeeded() {
    return context.perKey().tasksSucceeded();
  }

  /** Tasks of jobs that ended failed so far; any thread. */
  public int failed() {
    return context.perKey().tasksFailed();
  }

  /** Successes cut off at maxOutputTokens so far; any thread. */
  public int truncated() {
    return context.perKey().truncated();
  }

  /** True when the run stopped at maxCost with tasks left. */
  public boolean budgetReached() {
    return budget.reached();
  }

  /**
   * Runs the jobs of {@code todo} to the end, or until interrupted (Ctrl-C); once per instance.
   * Every task has a result when it returns: those left without one end as cancelled.
   */
  public void run(List<TaskState> todo) {
    Thread owner = Thread.currentThread();
    for (TaskState t : todo) t.handTo(() -> Thread.currentThread() == owner);
    try {
      loop(todo);
    } finally {
      int left = 0;
      for (TaskState t : todo) {
        if (t.finished()) continue;
        t.leaveUnfinished(ErrorType.CANCELLED);
        left++;
      }
      leftUnfinished = left;
    }
  }

  /** Tasks {@link #run} left without a result (stopped, or their job cancelled at Google). */
  public int leftUnfinished() {
    return leftUnfinished;
  }

  private volatile int leftUnfinished;

  private void loop(List<TaskState> todo) {
    BatchJournal journal =
        BatchJournal.load(settings.checkpoint().map(BatchJournal::besides).orElse(null));
    Map<String, TaskState> byId = new HashMap<>();
    for (TaskState t : todo) byId.put(t.id(), t);
    BatchWork work = context.work();
    boolean cancelJobs = settings.batch().cancelJobs();
    try (Transport transport = new Transport(settings, context.redactor())) {
      BatchJobs api = new BatchJobs(settings, transport);
      BatchSubmitter submitter = new BatchSubmitter(context, budget);
      BatchCollector collector = new BatchCollector(context, budget);
      BatchReattach.jobs(context, budget, journal, api, byId);
      for (TaskState t : todo) if (!work.inFlight(t.id())) work.enqueue(t);
      work.report();
      if (cancelJobs)
        context.notice(
            !work.anyLive()
                ? "no batch jobs of an earlier run to cancel; nothing was submitted"
                : "cancelling "
                    + work.live().size()
                    + " batch job(s) of an earlier run (finished ones are collected first); nothing new is submitted");
      Duration wait = settings.batch().firstPoll();
      while (work.anyLive() || (work.hasQueued() && !cancelJobs)) {
        if (!cancelJobs) submitter.submit(journal, api);
        work.report();
        boolean news = false;
        for (BatchLiveJob l : work.live()) news |= collector.poll(journal, api, l);
        work.report();
        if (cancelJobs) {
          for (BatchLiveJob l : work.live()) collector.cancel(journal, api, l);
          work.report();
          break;
        }
        if (!work.anyLive() && !work.hasQueued()) break;
        wait =
            news || (budget.waiting() && !work.anyLive()) // room comes from sync answers
                ? settings.batch().firstPoll()
                : min(Duration.ofNanos((long) (wait.toNanos() * 1.5)), settings.batch().maxPoll());
        if (!sleep(wait)) {
          leaveRunning(work.live());
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
            + String.join(", ", live.stream().map(BatchLiveJob::name).toList())
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
   * Waits for the batch thread of a {@code Mode.AUTO} run; an interrupt (Ctrl-C) is passed on to
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
