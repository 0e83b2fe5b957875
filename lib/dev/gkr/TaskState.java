package dev.gkr;

import java.util.BitSet;

/** A task's progress through one run. Guarded by the {@link Scheduler}'s lock. */
final class TaskState {
  final int index;
  final Task task;

  /** The prompt-and-settings hash the checkpoint stores; empty when no checkpoint is kept. */
  final String hash;

  int attempts;
  int taskErrors;
  int transientErrors;
  long notBefore;

  /**
   * Waiting accumulated between transient failures and the next attempts, against {@code maxWait}.
   */
  long waitedNanos;

  /** When the task last failed transiently and began to wait, or -1. */
  long waitingSince = -1;

  Outcome.Failure lastFailure;
  TaskResult result;
  ProjectState.Reservation tokens;

  /**
   * What the task's answers cost so far (issue 19), and the tier of the last one. Written by the
   * slot that holds the task while its request is in flight (before it reports, so the Scheduler's
   * lock publishes them), read under the lock.
   */
  double costUsd;

  PriceTier billedTier;

  /** Adds one answer's bill to the task's cost. */
  void charge(Ledger.Bill bill) {
    costUsd += bill.usd();
    billedTier = bill.tier();
  }

  /**
   * The worst case reserved against maxCost for the request in flight; released when it is
   * reported.
   */
  double reservedUsd;

  /**
   * Input tokens as the API roughly counts them ({@link Tokens#estimate}; corrected by the answer).
   */
  long estimatedTokens(String system) {
    return Tokens.estimate(task.prompt(), system)
        + (request == null ? 0 : request.estimatedFileTokens());
  }

  private final BitSet triedKeys = new BitSet();

  /**
   * What the task sends besides its prompt; null sends the prompt alone with the batch's settings.
   */
  final TaskRequest request;

  TaskState(int index, Task task, String hash) {
    this(index, task, hash, null);
  }

  TaskState(int index, Task task, String hash, TaskRequest request) {
    this.index = index;
    this.task = task;
    this.hash = hash;
    this.request = request;
  }

  boolean tried(int keyIndex) {
    return triedKeys.get(keyIndex);
  }

  void markTried(int keyIndex) {
    triedKeys.set(keyIndex);
  }
}
