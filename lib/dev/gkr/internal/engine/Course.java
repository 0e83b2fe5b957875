package dev.gkr.internal.engine;

/**
 * Whether the synchronous part goes on, and why it ends: the tasks left and in flight, and each
 * reason to stop (a stop asked for, no usable key, a storm that outlasted maxWait, the model not
 * found, Gemini out of reach, maxCost reached). Guarded by the {@link Scheduler}'s lock.
 */
final class Course {
  private int unfinished;
  private int inFlight;
  private boolean stopping;
  private boolean noUsableKeys;
  private boolean stormOutlasted;
  private boolean modelMissing;
  private boolean budgetReached;
  private boolean unreachable;

  Course(int tasks) {
    this.unfinished = tasks;
  }

  /** No slot may start anything more. */
  boolean over() {
    return stopping || noUsableKeys || unfinished == 0;
  }

  boolean stopping() {
    return stopping;
  }

  int inFlight() {
    return inFlight;
  }

  void started() {
    inFlight++;
  }

  void answered() {
    inFlight--;
  }

  /** A task has its final result; true when it was the last. */
  boolean finished() {
    return --unfinished == 0;
  }

  /** Stops handing out tasks (Ctrl-C): requests in flight finish. */
  void stop() {
    stopping = true;
  }

  void noUsableKeys() {
    noUsableKeys = true;
  }

  /** A storm held the run back for maxWait; false when it was said already. */
  boolean stormOutlasted() {
    if (stormOutlasted) return false;
    stormOutlasted = stopping = true;
    return true;
  }

  /** The model does not exist; false when it was said already. */
  boolean modelMissing() {
    stopping = true;
    if (modelMissing) return false;
    modelMissing = true;
    return true;
  }

  /** Gemini cannot be reached (see {@link NetworkWatch}): nothing more is sent. */
  void unreachable() {
    unreachable = stopping = true;
  }

  /** Nothing more fits under maxCost; false when it was said already. */
  boolean budgetReached() {
    if (budgetReached) return false;
    budgetReached = stopping = true;
    return true;
  }

  /** Why the part ended, once every slot has. */
  SyncEnd end() {
    if (modelMissing) return SyncEnd.MODEL_NOT_FOUND;
    if (unreachable && unfinished > 0) return SyncEnd.UNREACHABLE;
    if (stormOutlasted && unfinished > 0) return SyncEnd.OVERLOADED;
    if (noUsableKeys) return SyncEnd.NO_USABLE_KEYS;
    if (budgetReached && unfinished > 0) return SyncEnd.BUDGET_REACHED;
    return stopping && unfinished > 0 ? SyncEnd.STOPPED : SyncEnd.COMPLETED;
  }
}
