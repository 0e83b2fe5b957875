package dev.gkr.internal.batchmode;

import dev.gkr.ErrorType;
import dev.gkr.Outcome;
import dev.gkr.RotatorEvent;
import dev.gkr.internal.common.ApiKey;
import dev.gkr.internal.config.Settings;
import dev.gkr.internal.store.Checkpoint;
import dev.gkr.internal.table.TaskResult;
import dev.gkr.internal.task.TaskState;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Puts queued tasks into new batch jobs, up to {@link BatchOptions#jobs} per project at once, each
 * journaled before its create call (see {@link BatchMode}) and within maxCost ({@link
 * BatchBudget}). A key that refuses a create call is not used again this run; create calls that
 * keep failing end the queued tasks.
 */
final class BatchSubmitter {
  private static final int MAX_SUBMIT_FAILURES = 8;

  private final BatchContext run;
  private final BatchBudget budget;

  /**
   * Keys that answered a create call with a key error (invalid, suspended, refused): not used again
   * this run.
   */
  private final Set<Integer> deadKeys = new HashSet<>();

  /**
   * Create calls that failed in a row; past {@link #MAX_SUBMIT_FAILURES} the queued tasks end with
   * the last error.
   */
  private int submitFailures;

  BatchSubmitter(BatchContext run, BatchBudget budget) {
    this.run = run;
    this.budget = budget;
  }

  /** Creates the jobs there is room for, in projects and under maxCost. */
  void submit(BatchJournal journal, BatchJobs api) {
    Deque<TaskState> queue = run.work().queue;
    List<BatchLiveJob> live = run.work().live;
    Settings settings = run.settings();
    budget.newRound();
    if (queue.isEmpty()) return;
    Map<String, ApiKey> projects = new LinkedHashMap<>();
    for (ApiKey k : settings.keys())
      if (!deadKeys.contains(k.index())) projects.putIfAbsent(run.projectOf(k), k);
    if (projects.isEmpty()) {
      giveUp(queue, ErrorType.NO_USABLE_KEYS, null);
      return;
    }
    int free = 0;
    for (String p : projects.keySet())
      free +=
          Math.max(
              0,
              settings.batch().jobs()
                  - (int) live.stream().filter(l -> l.project.equals(p)).count());
    if (free == 0) return;
    int chunk = (queue.size() + free - 1) / free;
    for (Map.Entry<String, ApiKey> p : projects.entrySet()) {
      ApiKey key = p.getValue();
      while (!queue.isEmpty()
          && live.stream().filter(l -> l.project.equals(p.getKey())).count()
              < settings.batch().jobs()) {
        List<TaskState> taken = take(queue, key, chunk, projects.size());
        if (taken.isEmpty()) break;
        List<TaskState> tasks = budget.affordable(taken, queue);
        if (tasks.isEmpty()) {
          // no room: wait while jobs here or synchronous requests hold reservations, else stop
          if (!budget.waiting()) budget.overBudget(queue);
          return;
        }
        String display = "gkr-" + UUID.randomUUID().toString().substring(0, 13);
        BatchJournal.Job entry =
            new BatchJournal.Job(
                "",
                display,
                key.display(),
                tasks.stream().map(t -> t.task.id()).toList(),
                tasks.stream().map(t -> t.hash).toList());
        journal.add(entry); // before the create call: see the class comment of BatchMode
        Optional<String> name;
        try {
          name = Optional.of(api.submit(key, display, tasks));
        } catch (Exception e) {
          Outcome.Failure f = run.failure(e);
          name = BatchContext.safe(() -> api.findByDisplayName(key, display));
          if (name.isEmpty()) {
            journal.remove(entry);
            tasks.forEach(budget::release);
            tasks.reversed().forEach(queue::addFirst);
            if (f.type().kind() == ErrorType.Kind.KEY_DEAD) {
              deadKeys.add(key.index());
              run.perKey().retired(key.index());
              run.events()
                  .accept(
                      new RotatorEvent.KeyRetired(
                          settings.clock().instant(), key.display(), f.type()));
            } else if (++submitFailures >= MAX_SUBMIT_FAILURES
                || f.type().kind() == ErrorType.Kind.RUN) {
              giveUp(queue, null, f);
              return;
            } else {
              run.notice(
                  "could not submit a batch job with "
                      + key.display()
                      + ": "
                      + f.summary()
                      + "; trying again later");
            }
            break; // this project waits for the next round; the other projects still get their jobs
          }
        }
        submitFailures = 0;
        BatchJournal.Job named = entry.named(name.get());
        journal.replace(entry, named);
        BatchLiveJob l = new BatchLiveJob(named, key, p.getKey());
        tasks.forEach(
            t -> {
              t.markTried(key.index());
              l.tasks.put(t.task.id(), t);
            });
        live.add(l);
        run.perKey().submitted(key.index(), tasks.size());
        run.work().report(); // each job as it is created: many create calls take a while
        run.jobUpdated(l, "PENDING", tasks.size(), 0, 0);
      }
    }
  }

  /**
   * Ends every queued task: with no usable key left, or with the error that kept refusing the jobs.
   */
  private void giveUp(Deque<TaskState> queue, ErrorType why, Outcome.Failure f) {
    if (why != null)
      run.notice(
          "no usable key is left to submit batch jobs; " + queue.size() + " task(s) were not sent");
    else
      run.notice(
          "batch jobs kept being refused ("
              + f.summary()
              + "); "
              + queue.size()
              + " task(s) were not sent");
    Checkpoint checkpoint = run.checkpoint();
    for (TaskState t : queue) {
      t.result =
          why != null
              ? TaskResult.unfinished(t.task.id(), why, t.lastFailure, t.attempts)
              : TaskResult.failure(t.task.id(), f, "", t.attempts, run.settings().keys().get(0), 0);
      if (why == null && checkpoint != null) checkpoint.append(t.task, t.hash, t.result);
    }
    queue.clear();
  }

  /**
   * Up to {@code n} tasks for a job of {@code key}: those not yet tried on it first (when other
   * projects exist).
   */
  private static List<TaskState> take(Deque<TaskState> queue, ApiKey key, int n, int projects) {
    List<TaskState> out = new ArrayList<>();
    for (var it = queue.iterator(); it.hasNext() && out.size() < n; ) {
      TaskState t = it.next();
      if (projects > 1 && t.tried(key.index())) continue;
      out.add(t);
      it.remove();
    }
    if (out.isEmpty() && projects > 1) { // every task left was tried here: better here than never
      for (var it = queue.iterator(); it.hasNext() && out.size() < n; ) {
        TaskState t = it.next();
        if (!t.tried(key.index())) continue;
        out.add(t);
        it.remove();
      }
    }
    return out;
  }
}
