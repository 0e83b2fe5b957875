package dev.gkr.internal.batchmode;

import com.google.genai.types.BatchJob;
import dev.gkr.ErrorType;
import dev.gkr.Outcome;
import dev.gkr.RotatorEvent;
import dev.gkr.internal.call.AnswerCheck;
import dev.gkr.internal.common.ApiKey;
import dev.gkr.internal.config.Settings;
import dev.gkr.internal.table.TaskResult;
import dev.gkr.internal.task.TaskState;
import java.time.Duration;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Polls the jobs in flight and collects each finished one: maps its answers back to tasks by key,
 * bills them, classifies them as a synchronous run does and appends the final results to the
 * checkpoint, before the job leaves the journal. Task errors go back to the queue until {@code
 * maxRetries}; a job that FAILED or EXPIRED gives its tasks back to the queue.
 */
public final class BatchCollector {
  private static final String JOB_FAILED = "the batch job ended ";

  /**
   * How many times a task whose answer inside a job was a 429 (rate_limited, token_limited,
   * throttled) goes into a later job without using a retry, as a 429 costs no retry in a
   * synchronous run. A fixed count, as a job has no wait to add up: past it a 429 counts against
   * {@code maxRetries} like any transient error, so a run cannot loop forever.
   */
  public static final int MAX_RATE_LIMITED_REQUEUES = 10;

  private final BatchContext run;

  /** 429 answers per task id so far, against {@link #MAX_RATE_LIMITED_REQUEUES}. */
  private final Map<String, Integer> rateLimitedRequeues = new HashMap<>();

  private final BatchBudget budget;

  BatchCollector(BatchContext run, BatchBudget budget) {
    this.run = run;
    this.budget = budget;
  }

  /** Polls one job; collects it when it is done. True when its state changed. */
  boolean poll(BatchJournal journal, BatchJobs api, BatchLiveJob l) {
    Deque<TaskState> queue = run.work().queue;
    BatchJob job;
    try {
      job = api.get(l.key, l.entry.name());
    } catch (RuntimeException e) {
      Outcome.Failure f = run.failure(e);
      if (f.httpCode() != 404) {
        return readLater("batch job", l, f.summary());
      }
      run.notice(
          "batch job "
              + l.entry.name()
              + " is gone (deleted?); its "
              + l.tasks.size()
              + " task(s) go into new jobs");
      l.tasks.values().forEach(budget::release);
      queue.addAll(l.tasks.values());
      journal.remove(l.entry);
      run.work().live.remove(l);
      return true;
    }
    BatchJobs.State s = BatchJobs.state(job);
    boolean changed = s != l.state;
    l.state = s;
    if (!s.done()) {
      if (changed) run.jobUpdated(l, s.name(), l.tasks.size(), 0, 0);
      return changed;
    }
    int ok = 0, bad = 0;
    if (s == BatchJobs.State.SUCCEEDED) {
      List<BatchJobs.Keyed> answers;
      try {
        answers = api.results(l.key, job);
      } catch (Exception e) {
        return readLater("the results of batch job", l, e.getMessage());
      }
      for (BatchJobs.Keyed k : answers) {
        TaskState t = l.tasks.remove(k.id());
        if (t == null) continue; // finished before (in the checkpoint) or not ours
        if (settle(t, k.outcome(), l.key, queue)) ok++;
        else bad++;
      }
    }
    // Tasks without an answer (a FAILED or EXPIRED job, or answers missing) go back to the queue.
    for (TaskState t : l.tasks.values()) {
      budget.release(t);
      if (s == BatchJobs.State.CANCELLED)
        continue; // someone cancelled it: its tasks end as cancelled
      t.attempts++;
      t.transientErrors++;
      Outcome.Failure f =
          new Outcome.Failure(
              ErrorType.SERVER_ERROR,
              0,
              "",
              JOB_FAILED + s.name() + " (" + l.entry.name() + ")",
              Optional.empty(),
              Duration.ZERO);
      t.lastFailure = f;
      run.perKey().failed(l.key.index(), f);
      if (t.transientErrors > Math.max(1, run.settings().maxRetries()))
        finish(t, TaskResult.failure(t.task.id(), f, "", t.attempts, l.key, 0));
      else queue.add(t);
    }
    journal.remove(l.entry); // only now: every result above is in the checkpoint
    run.work().collected(l);
    run.jobUpdated(l, s.name(), l.entry.tasks().size(), ok, bad);
    return true;
  }

  /** A job that could not be read now is read at the next poll. */
  private boolean readLater(String what, BatchLiveJob l, String why) {
    run.notice(
        "could not read " + what + " " + l.entry.name() + ": " + why + "; trying again later");
    return false;
  }

  /**
   * One answer: a final result (true when a success), or back to the queue for a task error with
   * retries left.
   */
  private boolean settle(TaskState t, Outcome o, ApiKey key, Deque<TaskState> queue) {
    t.attempts++;
    budget.bill(t, key, o); // a job's answers: at the batch rate, then its reservation freed
    Settings settings = run.settings();
    AnswerCheck c = AnswerCheck.of(settings, o);
    if (c.outcome() instanceof Outcome.Success s) {
      run.perKey().succeeded(key.index());
      finish(t, TaskResult.success(t.task.id(), s, t.attempts, key, 0, c.json()));
      return true;
    }
    Outcome.Failure f = (Outcome.Failure) c.outcome();
    t.lastFailure = f;
    run.perKey().failed(key.index(), f);
    ErrorType.Kind kind = f.type().kind();
    if ((kind == ErrorType.Kind.KEY_COOLDOWN || kind == ErrorType.Kind.SLOWDOWN)
        && rateLimitedRequeues.merge(t.task.id(), 1, Integer::sum) <= MAX_RATE_LIMITED_REQUEUES) {
      queue.add(t); // a 429 spends no retry (as in a synchronous run), up to the bound above
      return false;
    }
    boolean task = kind == ErrorType.Kind.TASK;
    if (task) t.taskErrors++;
    else t.transientErrors++;
    boolean spent =
        task
            ? t.taskErrors > settings.maxRetries()
            : t.transientErrors > Math.max(1, settings.maxRetries());
    if (spent) finish(t, TaskResult.failure(t.task.id(), f, c.raw(), t.attempts, key, 0));
    else queue.add(t);
    return false;
  }

  private void finish(TaskState t, TaskResult result) {
    TaskResult r = result.withCost(t.costUsd, t.billedTier);
    t.result = r;
    if (run.checkpoint() != null) run.checkpoint().append(t.task, t.hash, r);
    run.events().accept(RotatorEvent.TaskDone.of(run.settings().clock().instant(), r));
  }

  /** Cancels one job (--cancel-jobs); a job that cannot be cancelled now stays in the journal. */
  void cancel(BatchJournal journal, BatchJobs api, BatchLiveJob l) {
    try {
      api.cancel(l.key, l.entry.name());
      journal.remove(l.entry);
      run.work().collected(l);
      run.jobUpdated(l, "CANCELLED", l.entry.tasks().size(), 0, 0);
    } catch (RuntimeException e) {
      run.notice("could not cancel batch job " + l.entry.name() + ": " + run.failure(e).summary());
    }
  }
}
