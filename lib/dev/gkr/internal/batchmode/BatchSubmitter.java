package dev.gkr.internal.batchmode;

import dev.gkr.ErrorType;
import dev.gkr.Outcome;
import dev.gkr.RotatorEvent;
import dev.gkr.internal.common.ApiKey;
import dev.gkr.internal.config.Settings;
import dev.gkr.internal.store.Checkpoint;
import dev.gkr.internal.table.TaskResult;
import dev.gkr.internal.task.TaskState;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Puts queued tasks into new batch jobs, up to {@link BatchOptions#jobs} per project at once, each
 * journaled before its create call (see {@link BatchLoop}) and within maxCost ({@link
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

  /**
   * The first round spread the queue over the projects' free job slots, so the jobs run side by
   * side. What is queued after it is leftovers (the tasks of a refused create call, a failed or
   * expired job, a task error retried): they go into one job, not into as many one-request jobs as
   * there are free slots (40 tasks once ended with five one-request jobs, 13 s for 5 tasks).
   */
  private boolean spread;

  /** Keys whose refusal (a 429) was said: said once per key, the status line shows the rest. */
  private final Set<Integer> refusalSaid = new HashSet<>();

  BatchSubmitter(BatchContext run, BatchBudget budget) {
    this.run = run;
    this.budget = budget;
  }

  /** Creates the jobs there is room for, in projects and under maxCost. */
  void submit(BatchJournal journal, BatchJobs api) {
    BatchWork work = run.work();
    Settings settings = run.settings();
    budget.newRound();
    if (!work.hasQueued()) return;
    Map<String, ApiKey> projects = new LinkedHashMap<>();
    for (ApiKey k : settings.keys())
      if (!deadKeys.contains(k.index())) projects.putIfAbsent(run.projectOf(k), k);
    if (projects.isEmpty()) {
      giveUp(ErrorType.NO_USABLE_KEYS, null);
      return;
    }
    int jobsPerProject = settings.batch().jobs();
    int free = 0;
    for (String p : projects.keySet()) free += Math.max(0, jobsPerProject - work.liveIn(p));
    if (free == 0) return;
    int chunk = spread ? work.queued() : (work.queued() + free - 1) / free;
    for (Map.Entry<String, ApiKey> p : projects.entrySet()) {
      ApiKey key = p.getValue();
      while (work.hasQueued() && work.liveIn(p.getKey()) < jobsPerProject) {
        List<TaskState> taken = work.take(key, chunk, projects.size());
        if (taken.isEmpty()) break;
        List<TaskState> tasks = budget.affordable(taken);
        if (tasks.isEmpty()) {
          // no room: wait while jobs here or synchronous requests hold reservations, else stop
          if (!budget.waiting()) budget.overBudget();
          return;
        }
        boolean created = create(journal, api, key, p.getKey(), tasks);
        spread |= created;
        if (!created) {
          if (!work.hasQueued()) return; // create calls kept failing: the queued tasks ended
          break; // this project waits for the next round; the other projects still get their jobs
        }
      }
    }
  }

  /**
   * One job of {@code tasks} with {@code key}, journaled before its create call (see {@link
   * BatchLoop}); false when the call failed and the job does not exist (its tasks go back to the
   * queue).
   */
  private boolean create(
      BatchJournal journal, BatchJobs api, ApiKey key, String project, List<TaskState> tasks) {
    Settings settings = run.settings();
    BatchWork work = run.work();
    String display = "gkr-" + UUID.randomUUID().toString().substring(0, 13);
    BatchJournal.Job entry =
        new BatchJournal.Job(
            "",
            display,
            key.display(),
            tasks.stream().map(TaskState::id).toList(),
            tasks.stream().map(TaskState::hash).toList());
    journal.add(entry); // before the create call: see the class comment of BatchLoop
    Optional<String> name;
    try {
      name = Optional.of(api.submit(key, display, tasks));
    } catch (Exception e) {
      Outcome.Failure f = run.failure(e);
      name = BatchContext.safe(() -> api.findByDisplayName(key, display));
      if (name.isEmpty()) {
        journal.remove(entry);
        tasks.forEach(budget::release);
        work.putBack(tasks);
        refused(key, f);
        return false;
      }
    }
    submitFailures = 0;
    BatchJournal.Job named = entry.named(name.get());
    journal.replace(entry, named);
    BatchLiveJob l = new BatchLiveJob(named, key, project);
    long now = settings.clock().nanoTime();
    for (TaskState t : tasks) {
      t.triedOn(key.index());
      t.submitted(now);
      l.carry(t);
    }
    work.started(l);
    run.perKey().submitted(key.index(), tasks.size());
    work.report(); // each job as it is created: many create calls take a while
    run.jobUpdated(l, "PENDING", tasks.size(), 0, 0);
    return true;
  }

  /**
   * A create call failed and made no job: a dead key is not used again; calls that keep failing end
   * the queued tasks.
   */
  private void refused(ApiKey key, Outcome.Failure f) {
    Settings settings = run.settings();
    if (f.type().kind() == ErrorType.Kind.KEY_DEAD) {
      deadKeys.add(key.index());
      run.perKey().retired(key.index());
      run.events()
          .accept(new RotatorEvent.KeyRetired(settings.clock().instant(), key.display(), f.type()));
    } else if (quota(f) && run.work().anyLive()) {
      // A 429 is this key's quota, not a broken service: while other jobs are in flight the run
      // makes progress, and the queued tasks wait for a key with room instead of ending.
      if (refusalSaid.add(key.index()))
        run.notice(
            "batch job refused by "
                + key.display()
                + " ("
                + f.type().code()
                + "); its tasks wait for a key with room");
    } else if (++submitFailures >= MAX_SUBMIT_FAILURES || f.type().kind() == ErrorType.Kind.RUN) {
      giveUp(null, f);
    } else {
      run.notice(
          "could not submit a batch job with "
              + key.display()
              + ": "
              + f.summary()
              + "; trying again later");
    }
  }

  private static boolean quota(Outcome.Failure f) {
    ErrorType.Kind k = f.type().kind();
    return k == ErrorType.Kind.KEY_COOLDOWN || k == ErrorType.Kind.SLOWDOWN;
  }

  /**
   * Ends every queued task: with no usable key left, or with the error that kept refusing the jobs.
   */
  private void giveUp(ErrorType why, Outcome.Failure f) {
    List<TaskState> left = run.work().drainQueue();
    if (why != null)
      run.notice(
          "no usable key is left to submit batch jobs; " + left.size() + " task(s) were not sent");
    else
      run.notice(
          "batch jobs kept being refused ("
              + f.summary()
              + "); "
              + left.size()
              + " task(s) were not sent");
    Checkpoint checkpoint = run.checkpoint();
    for (TaskState t : left) {
      if (why != null) {
        t.leaveUnfinished(why);
      } else {
        TaskResult r =
            t.finish(
                TaskResult.failure(t.id(), f, "", t.attempts(), run.settings().keys().get(0), 0));
        if (checkpoint != null) checkpoint.append(t.task(), t.hash(), r);
      }
    }
  }
}
