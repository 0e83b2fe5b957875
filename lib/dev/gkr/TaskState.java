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
  /** Waiting accumulated between transient failures and the next attempts, against {@code maxWait}. */
  long waitedNanos;
  /** When the task last failed transiently and began to wait, or -1. */
  long waitingSince = -1;
  Outcome.Failure lastFailure;
  TaskResult result;
  ProjectState.Reservation tokens;

  /** Input tokens as the API roughly counts them ({@link Tokens#estimate}; corrected by the answer). */
  long estimatedTokens(String system) {
    return Tokens.estimate(task.prompt(), system);
  }
  private final BitSet triedKeys = new BitSet();

  TaskState(int index, Task task, String hash) {
    this.index = index;
    this.task = task;
    this.hash = hash;
  }

  boolean tried(int keyIndex) {
    return triedKeys.get(keyIndex);
  }

  void markTried(int keyIndex) {
    triedKeys.set(keyIndex);
  }
}
