package dev.gkr.internal.batchmode;

import dev.gkr.JobStats;
import dev.gkr.internal.common.ApiKey;
import dev.gkr.internal.task.TaskState;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.List;

/**
 * The work in hand of a Batch Mode run: the tasks waiting for a job, the jobs in flight, how many
 * jobs were collected (or cancelled), and a snapshot of these counts for {@code RunStats.jobs()}.
 * Changed on the batch thread only; {@link #progress} is read by any thread.
 */
final class BatchWork {
  private final Deque<TaskState> queue = new ArrayDeque<>();
  private final List<BatchLiveJob> live = new ArrayList<>();
  private int collected;
  private volatile JobStats progress = JobStats.NONE;

  /** Waits for a later job (at the back of the queue). */
  void enqueue(TaskState t) {
    queue.add(t);
  }

  /** Waits for a later job, each task at the back of the queue. */
  void enqueueAll(Collection<TaskState> ts) {
    queue.addAll(ts);
  }

  /** Goes back to the front of the queue, in this order (a job that could not take them). */
  void putBack(List<TaskState> ts) {
    ts.reversed().forEach(queue::addFirst);
  }

  boolean hasQueued() {
    return !queue.isEmpty();
  }

  int queued() {
    return queue.size();
  }

  /** Empties the queue (its tasks end without a job); returns what it held. */
  List<TaskState> drainQueue() {
    List<TaskState> out = List.copyOf(queue);
    queue.clear();
    return out;
  }

  /**
   * Up to {@code n} queued tasks for a job of {@code key}: those not yet tried on it first (when
   * other projects exist), else those tried there too (better there than never).
   */
  List<TaskState> take(ApiKey key, int n, int projects) {
    List<TaskState> out = new ArrayList<>();
    for (var it = queue.iterator(); it.hasNext() && out.size() < n; ) {
      TaskState t = it.next();
      if (projects > 1 && t.tried(key.index())) continue;
      out.add(t);
      it.remove();
    }
    if (out.isEmpty() && projects > 1) {
      for (var it = queue.iterator(); it.hasNext() && out.size() < n; ) {
        out.add(it.next());
        it.remove();
      }
    }
    return out;
  }

  /** A job is in flight (created, or re-attached). */
  void started(BatchLiveJob l) {
    live.add(l);
  }

  /** The jobs in flight, as of now. */
  List<BatchLiveJob> live() {
    return List.copyOf(live);
  }

  boolean anyLive() {
    return !live.isEmpty();
  }

  /** Jobs in flight for this project. */
  int liveIn(String project) {
    return (int) live.stream().filter(l -> l.project().equals(project)).count();
  }

  /** Whether a job in flight carries this task. */
  boolean inFlight(String taskId) {
    return live.stream().anyMatch(l -> l.carries(taskId));
  }

  /** A job vanished at Google (deleted): no longer in flight, not collected. */
  void gone(BatchLiveJob l) {
    live.remove(l);
  }

  /** A job is done with (collected or cancelled): no longer in flight. */
  void collected(BatchLiveJob l) {
    live.remove(l);
    collected++;
  }

  /** The jobs' progress as of the last {@link #report}; any thread. */
  JobStats progress() {
    return progress;
  }

  /** Takes the snapshot that {@link #progress} returns. */
  void report() {
    int pending = 0, running = 0, inJobs = 0;
    for (BatchLiveJob l : live) {
      if (l.state() == BatchJobs.State.PENDING) pending++;
      else running++;
      inJobs += l.size();
    }
    progress = new JobStats(pending, running, collected, inJobs, queue.size());
  }
}
