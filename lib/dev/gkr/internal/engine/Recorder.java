package dev.gkr.internal.engine;

import dev.gkr.Outcome;
import dev.gkr.internal.keys.KeyState;
import dev.gkr.internal.table.TaskResult;
import dev.gkr.internal.task.TaskState;
import java.util.List;

/**
 * What the run has done so far, for its stats and its timeline: how many tasks ended each way, how
 * many requests were sent and refused with a 429, and one timeline entry per answered request. Kept
 * apart from the scheduling rules so the rules read as rules. Guarded by the {@link Scheduler}'s
 * lock: every method is called under it.
 */
final class Recorder {
  /**
   * Tasks ended this run, each way; requests sent, and refused with a 429 (the throttle's
   * included); successes cut off at maxOutputTokens.
   */
  record Counts(int succeeded, int failed, long requests, long rateLimited, int truncated) {}

  private final Timeline timeline = new Timeline();

  /** The run's start on its clock; timeline starts are relative to it. */
  private final long origin;

  private int succeeded;
  private int failed;
  private long requests;
  private long rateLimited;
  private int truncated;
  private final java.util.Map<String, Integer> succeededPerModel = new java.util.LinkedHashMap<>();

  /** Orders every hand-out and every report of the run (see {@link Timeline.Entry}). */
  private long seq;

  Recorder(long origin) {
    this.origin = origin;
  }

  /** A request starts now on {@code slot}: counted, and its start noted for the timeline. */
  void started(Slot slot, long now) {
    requests++;
    slot.started(now, ++seq);
  }

  /** The answer to the slot's current request: one timeline entry. */
  void answered(Slot slot, KeyState k, TaskState t, Outcome outcome) {
    String code = outcome instanceof Outcome.Failure f ? f.type().code() : "ok";
    timeline.add(
        new Timeline.Entry(
            slot.number(),
            k.key().display(),
            t.id(),
            slot.currentStart() - origin,
            outcome.latency().toNanos(),
            code,
            slot.currentSeq(),
            ++seq));
  }

  /** A 429, counted for the key and for the run. */
  void rateLimited(KeyState k) {
    k.rateLimited();
    rateLimited++;
  }

  /** Tasks that succeeded in this run, by the model asked, in the order models first answered. */
  java.util.Map<String, Integer> succeededPerModel() {
    return java.util.Map.copyOf(succeededPerModel);
  }

  /** A task ended in this run with a result. */
  void ended(TaskResult r) {
    if (r.success()) {
      succeeded++;
      succeededPerModel.merge(r.model(), 1, Integer::sum);
    } else failed++;
    if (r.truncated()) truncated++;
  }

  /** A task left without a result when the run ended for a reason that fails it (not a cancel). */
  void leftUnfinished() {
    failed++;
  }

  /** The counts so far, for a consistent snapshot of the run's progress. */
  Counts counts() {
    return new Counts(succeeded, failed, requests, rateLimited, truncated);
  }

  /** The first {@code n} entries of the timeline (those of a snapshot taken earlier). */
  List<Timeline.Entry> timeline(int n) {
    return timeline.entries(n);
  }

  /** How many requests were answered so far (the timeline's length). */
  int answered() {
    return timeline.size();
  }
}
