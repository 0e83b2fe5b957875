package dev.gkr.internal.task;

import dev.gkr.Outcome;
import dev.gkr.Task;
import dev.gkr.internal.common.Tokens;
import dev.gkr.internal.cost.Ledger;
import dev.gkr.internal.cost.PriceTier;
import dev.gkr.internal.keys.ProjectState;
import dev.gkr.internal.request.TaskRequest;
import dev.gkr.internal.table.TaskResult;
import java.util.BitSet;

/** A task's progress through one run. Guarded by the {@link Scheduler}'s lock. */
public final class TaskState {
  public final int index;
  public final Task task;

  /** The prompt-and-settings hash the checkpoint stores; empty when no checkpoint is kept. */
  public final String hash;

  public int attempts;
  public int taskErrors;
  public int transientErrors;
  public long notBefore;

  /**
   * Waiting accumulated between transient failures and the next attempts, against {@code maxWait}.
   */
  public long waitedNanos;

  /** When the task last failed transiently and began to wait, or -1. */
  public long waitingSince = -1;

  public Outcome.Failure lastFailure;
  public TaskResult result;
  public ProjectState.Reservation tokens;

  /**
   * What the task's answers cost so far (issue 19), and the tier of the last one. Written by the
   * slot that holds the task while its request is in flight (before it reports, so the Scheduler's
   * lock publishes them), read under the lock.
   */
  public double costUsd;

  public PriceTier billedTier;

  /** Adds one answer's bill to the task's cost. */
  public void charge(Ledger.Bill bill) {
    costUsd += bill.usd();
    billedTier = bill.tier();
  }

  /**
   * The worst case reserved against maxCost for the request in flight; released when it is
   * reported.
   */
  public double reservedUsd;

  /**
   * Input tokens as the API roughly counts them ({@link Tokens#estimate}; corrected by the answer).
   */
  public long estimatedTokens(String system) {
    return Tokens.estimate(task.prompt(), system)
        + (request == null ? 0 : request.estimatedFileTokens());
  }

  private final BitSet triedKeys = new BitSet();

  /**
   * What the task sends besides its prompt; null sends the prompt alone with the batch's settings.
   */
  public final TaskRequest request;

  public TaskState(int index, Task task, String hash) {
    this(index, task, hash, null);
  }

  public TaskState(int index, Task task, String hash, TaskRequest request) {
    this.index = index;
    this.task = task;
    this.hash = hash;
    this.request = request;
  }

  public boolean tried(int keyIndex) {
    return triedKeys.get(keyIndex);
  }

  public void markTried(int keyIndex) {
    triedKeys.set(keyIndex);
  }
}
