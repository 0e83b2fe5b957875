package dev.gkr;

import java.util.BitSet;

/** A task's progress through one run. Guarded by the {@link Scheduler}'s lock. */
final class TaskState {
  final int index;
  final Task task;
  int attempts;
  int taskErrors;
  int transientErrors;
  long notBefore;
  Outcome.Failure lastFailure;
  TaskResult result;
  private final BitSet triedKeys = new BitSet();

  TaskState(int index, Task task) {
    this.index = index;
    this.task = task;
  }

  boolean tried(int keyIndex) {
    return triedKeys.get(keyIndex);
  }

  void markTried(int keyIndex) {
    triedKeys.set(keyIndex);
  }
}
