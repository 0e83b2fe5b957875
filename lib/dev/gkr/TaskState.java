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
  Outcome.Failure lastFailure;
  TaskResult result;
  ProjectState.Reservation tokens;

  /** Input tokens as the API roughly counts them: about four UTF-8 bytes a token (corrected by the answer). */
  long estimatedTokens(String system) {
    int bytes = task.prompt().getBytes(java.nio.charset.StandardCharsets.UTF_8).length + system.length();
    return Math.max(1, (bytes + 3) / 4) + (request == null ? 0 : request.estimatedFileTokens());
  }
  private final BitSet triedKeys = new BitSet();

  /** What the task sends besides its prompt; null sends the prompt alone with the batch's settings. */
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
