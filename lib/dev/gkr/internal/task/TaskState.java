package dev.gkr.internal.task;

import dev.gkr.ErrorType;
import dev.gkr.Outcome;
import dev.gkr.Task;
import dev.gkr.internal.common.Tokens;
import dev.gkr.internal.cost.Ledger;
import dev.gkr.internal.cost.PriceTier;
import dev.gkr.internal.keys.ProjectState;
import dev.gkr.internal.request.TaskRequest;
import dev.gkr.internal.table.TaskResult;
import java.util.BitSet;
import java.util.function.BooleanSupplier;

/**
 * A task's progress through one run: its attempts, the errors counted against its retries (by the
 * {@link RetryPolicy}), the time it waited through transient failures, what its answers cost, and
 * its final result.
 *
 * <p>Who may change it: the part of the run it was handed to ({@link #handTo}) before that part
 * started. A synchronous task changes only under the Scheduler's lock (slots report to it), a Batch
 * Mode task only on the batch thread; the two parts never share a task. With assertions on (the
 * tests), every change checks that it comes from the owner. Reads are for the owner, or for anyone
 * after the owning part has ended.
 */
public final class TaskState {
  private final int index;
  private final Task task;
  private final String hash;
  private final TaskRequest request;
  private final BitSet triedKeys = new BitSet();
  private BooleanSupplier owner = () -> true;

  private int attempts;
  private int taskErrors;
  private int transientErrors;
  private long notBefore;

  /**
   * Waiting accumulated between transient failures and the next attempts, against {@code maxWait}.
   */
  private long waitedNanos;

  /** When the task last failed transiently and began to wait, or -1. */
  private long waitingSince = -1;

  private Outcome.Failure lastFailure;
  private TaskResult result;
  private ProjectState.Reservation tokens;

  /** What the task's answers cost so far, and the tier of the last one billed. */
  private double costUsd;

  private PriceTier billedTier;

  /** The worst case reserved against maxCost for the request in flight or the job it is in. */
  private double reservedUsd;

  /**
   * @param hash the prompt-and-settings hash the checkpoint stores; empty when no checkpoint is
   *     kept
   * @param request what the task sends besides its prompt
   */
  public TaskState(int index, Task task, String hash, TaskRequest request) {
    this.index = index;
    this.task = task;
    this.hash = hash;
    this.request = request;
  }

  /**
   * Hands the task to the part of the run that will send it: {@code owner} tells whether the
   * current thread may change it (the Scheduler's lock held, or the batch thread running).
   */
  public void handTo(BooleanSupplier owner) {
    this.owner = owner;
  }

  private boolean owned() {
    return owner.getAsBoolean();
  }

  /** The task's position in the input. */
  public int index() {
    return index;
  }

  public Task task() {
    return task;
  }

  public String id() {
    return task.id();
  }

  public String hash() {
    return hash;
  }

  public TaskRequest request() {
    return request;
  }

  public int attempts() {
    return attempts;
  }

  public int taskErrors() {
    return taskErrors;
  }

  public int transientErrors() {
    return transientErrors;
  }

  public long waitedNanos() {
    return waitedNanos;
  }

  /** The last failed answer, or null. */
  public Outcome.Failure lastFailure() {
    return lastFailure;
  }

  /** The final result, or null while the task is not finished. */
  public TaskResult result() {
    return result;
  }

  public boolean finished() {
    return result != null;
  }

  /** When a task waiting out a backoff may go again, on the run's clock. */
  public long notBefore() {
    return notBefore;
  }

  /**
   * Input tokens as the API roughly counts them ({@link Tokens#estimate}; corrected by the answer).
   */
  public long estimatedTokens(String system) {
    return Tokens.estimate(task.prompt(), system) + request.estimatedFileTokens();
  }

  public boolean tried(int keyIndex) {
    return triedKeys.get(keyIndex);
  }

  /** The task was sent with this key (its next try prefers another). */
  public void triedOn(int keyIndex) {
    assert owned();
    triedKeys.set(keyIndex);
  }

  /** A slot sends it: one more attempt, and a wait after a transient failure ends here. */
  public void attemptStarted(long now) {
    assert owned();
    attempts++;
    stopWaiting(now);
  }

  /** It goes into a batch job: a wait after a transient failure ends here. */
  public void submitted(long now) {
    assert owned();
    stopWaiting(now);
  }

  /**
   * Its batch job ended (with its answer, or failed): one more attempt, counted when the job is
   * read, as jobs of an earlier run are re-attached.
   */
  public void jobEnded() {
    assert owned();
    attempts++;
  }

  private void stopWaiting(long now) {
    if (waitingSince >= 0) {
      waitedNanos += now - waitingSince;
      waitingSince = -1;
    }
  }

  /** An answer that failed; the task's next step is the retry policy's. */
  public void failed(Outcome.Failure f) {
    assert owned();
    lastFailure = f;
  }

  int countTaskError() {
    assert owned();
    return ++taskErrors;
  }

  int countTransientError() {
    assert owned();
    return ++transientErrors;
  }

  /** The task waits from {@code now} until its next attempt; the wait counts against maxWait. */
  void waitFrom(long now) {
    assert owned();
    waitingSince = now;
  }

  /** Waits in the delayed queue until {@code notBefore} on the run's clock. */
  public void delayUntil(long notBefore) {
    assert owned();
    this.notBefore = notBefore;
  }

  /** One answer's bill, added to what the task cost. */
  public void charged(Ledger.Bill bill) {
    assert owned();
    costUsd += bill.usd();
    billedTier = bill.tier();
  }

  /** The worst case of its request, reserved against maxCost. */
  public void reserved(double usd) {
    assert owned();
    reservedUsd = usd;
  }

  /** Takes back the reservation (to release it in the ledger); 0 when none is held. */
  public double releaseReservation() {
    assert owned();
    double r = reservedUsd;
    reservedUsd = 0;
    return r;
  }

  /** The input tokens its request holds in its project's token window. */
  public void holdTokens(ProjectState.Reservation r) {
    assert owned();
    tokens = r;
  }

  /** Takes back the token reservation, or null when none is held. */
  public ProjectState.Reservation releaseTokens() {
    assert owned();
    ProjectState.Reservation r = tokens;
    tokens = null;
    return r;
  }

  /** The task ends with this result, its bill added; returns the final result. */
  public TaskResult finish(TaskResult r) {
    assert owned();
    result = r.withCost(costUsd, billedTier);
    return result;
  }

  /**
   * The run ended before the task could: {@code why} is no_usable_keys, overloaded, model_not_found
   * or cancelled.
   */
  public TaskResult leaveUnfinished(ErrorType why) {
    return finish(TaskResult.unfinished(task.id(), why, lastFailure, attempts));
  }

  /** The run reached maxCost before the task could be sent: cancelled, redone by a rerun. */
  public TaskResult leaveOverBudget(double cap) {
    return finish(TaskResult.overBudget(task.id(), cap, lastFailure, attempts));
  }
}
