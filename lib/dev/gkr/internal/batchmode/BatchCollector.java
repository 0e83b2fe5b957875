package dev.gkr.internal.batchmode;

import com.google.genai.types.BatchJob;
import dev.gkr.ErrorType;
import dev.gkr.Outcome;
import dev.gkr.internal.call.AnswerCheck;
import dev.gkr.internal.common.ApiKey;
import dev.gkr.internal.table.TaskResult;
import dev.gkr.internal.task.RetryPolicy;
import dev.gkr.internal.task.TaskState;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Polls the jobs in flight and collects each finished one: maps its answers back to tasks by key,
 * bills them, classifies them as a synchronous run does and appends the final results to the
 * checkpoint, before the job leaves the journal. A failed answer goes back to the queue for a later
 * job, or ends the task, as the {@link RetryPolicy} says; the tasks of a job that FAILED or EXPIRED
 * count a transient error each.
 */
public final class BatchCollector {
  private static final String JOB_FAILED = "the batch job ended ";

  /**
   * How many times a task whose answer inside a job was a 429 (rate_limited, token_limited,
   * throttled) goes into a later job without using a retry, as a 429 costs no retry in a
   * synchronous run. A fixed count, as a job has no cooldown to wait out: past it a 429 counts as a
   * transient error, so a run cannot loop forever.
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
    BatchJob job;
    try {
      job = api.get(l.key(), l.name());
    } catch (RuntimeException e) {
      Outcome.Failure f = run.failure(e);
      if (f.httpCode() != 404) return readLater("batch job", l, f.summary());
      run.notice(
          "batch job "
              + l.name()
              + " is gone (deleted?); its "
              + l.size()
              + " task(s) go into new jobs");
      List<TaskState> orphans = l.unanswered();
      orphans.forEach(budget::release);
      run.work().enqueueAll(orphans);
      journal.remove(l.entry());
      run.work().gone(l);
      return true;
    }
    BatchJobs.State s = BatchJobs.state(job);
    boolean changed = l.seen(s);
    if (!s.done()) {
      if (changed) run.jobUpdated(l, s.name(), l.size(), 0, 0);
      return changed;
    }
    int ok = 0, bad = 0;
    if (s == BatchJobs.State.SUCCEEDED) {
      List<BatchJobs.Keyed> answers;
      try {
        answers = api.results(l.key(), job);
      } catch (Exception e) {
        return readLater("the results of batch job", l, e.getMessage());
      }
      for (BatchJobs.Keyed k : answers) {
        TaskState t = l.answered(k.id());
        if (t == null) continue; // finished before (in the checkpoint) or not ours
        if (settle(t, k.outcome(), l.key())) ok++;
        else bad++;
      }
    }
    // Tasks without an answer (a FAILED or EXPIRED job, or answers missing) go back to the queue.
    for (TaskState t : l.unanswered()) {
      budget.release(t);
      if (s == BatchJobs.State.CANCELLED)
        continue; // someone cancelled it: its tasks end as cancelled
      Outcome.Failure f =
          new Outcome.Failure(
              ErrorType.SERVER_ERROR,
              0,
              "",
              JOB_FAILED + s.name() + " (" + l.name() + ")",
              Optional.empty(),
              Duration.ZERO);
      t.jobEnded();
      t.failed(f);
      run.perKey().failed(l.key().index(), f);
      retryOrEnd(t, f, "", l.key());
    }
    journal.remove(l.entry()); // only now: every result above is in the checkpoint
    run.work().collected(l);
    run.jobUpdated(l, s.name(), l.entry().tasks().size(), ok, bad);
    return true;
  }

  /** A job that could not be read now is read at the next poll. */
  private boolean readLater(String what, BatchLiveJob l, String why) {
    run.notice("could not read " + what + " " + l.name() + ": " + why + "; trying again later");
    return false;
  }

  /**
   * One answer: a final result (true when a success), or back to the queue for a later job while
   * the retry policy allows.
   */
  private boolean settle(TaskState t, Outcome o, ApiKey key) {
    t.jobEnded();
    budget.bill(t, key, o); // a job's answers: at the batch rate, then its reservation freed
    AnswerCheck c = AnswerCheck.of(run.settings(), o);
    if (c.outcome() instanceof Outcome.Success s) {
      run.perKey().succeeded(key.index(), s.truncated());
      finish(t, TaskResult.success(t.id(), s, t.attempts(), key, 0, c.json()));
      return true;
    }
    Outcome.Failure f = (Outcome.Failure) c.outcome();
    t.failed(f);
    run.perKey().failed(key.index(), f);
    ErrorType.Kind kind = f.type().kind();
    if ((kind == ErrorType.Kind.KEY_COOLDOWN || kind == ErrorType.Kind.SLOWDOWN)
        && rateLimitedRequeues.merge(t.id(), 1, Integer::sum) <= MAX_RATE_LIMITED_REQUEUES) {
      run.work().enqueue(t); // a 429 spends no retry (as in a synchronous run), up to the bound
      return false;
    }
    retryOrEnd(t, f, c.raw(), key);
    return false;
  }

  /** The retry policy's verdict: into a later job, or the task ends with this failure. */
  private void retryOrEnd(TaskState t, Outcome.Failure f, String raw, ApiKey key) {
    RetryPolicy retries = run.retries();
    RetryPolicy.Next next =
        f.type().kind() == ErrorType.Kind.TASK
            ? retries.afterTaskError(t)
            : retries.afterTransientError(t, f.type(), now(), false);
    if (next instanceof RetryPolicy.Retry) run.work().enqueue(t); // the next job is its backoff
    else finish(t, TaskResult.failure(t.id(), f, raw, t.attempts(), key, 0));
  }

  private void finish(TaskState t, TaskResult result) {
    // a job is tied to the run's own model: fallbacks serve the synchronous part only
    TaskResult r = t.finish(result.withModel(run.settings().model()));
    if (!r.success()) run.perKey().taskFailed();
    if (run.checkpoint() != null) run.checkpoint().append(t.task(), t.hash(), r);
    run.events().accept(r.doneEvent(run.settings().clock().instant()));
  }

  private long now() {
    return run.settings().clock().nanoTime();
  }

  /** Cancels one job (--cancel-jobs); a job that cannot be cancelled now stays in the journal. */
  void cancel(BatchJournal journal, BatchJobs api, BatchLiveJob l) {
    try {
      api.cancel(l.key(), l.name());
      journal.remove(l.entry());
      run.work().collected(l);
      run.jobUpdated(l, "CANCELLED", l.entry().tasks().size(), 0, 0);
    } catch (RuntimeException e) {
      run.notice("could not cancel batch job " + l.name() + ": " + run.failure(e).summary());
    }
  }
}
