package dev.gkr.internal.batchmode;

import dev.gkr.JobStats;
import dev.gkr.internal.task.TaskState;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The work in hand of a Batch Mode run: the tasks waiting for a job, the jobs in flight, how many
 * jobs were collected (or cancelled), and a snapshot of these counts for {@link RunStats#jobs()}.
 * Changed on the run's one thread; {@link #progress} is read by any thread.
 */
final class BatchWork {
  final Deque<TaskState> queue = new ArrayDeque<>();
  final List<BatchLiveJob> live = new ArrayList<>();
  private int collected;
  private volatile JobStats progress = JobStats.NONE;

  /** The jobs' progress as of the last {@link #report}; any thread. */
  JobStats progress() {
    return progress;
  }

  /** A job is done with (collected or cancelled): no longer in flight. */
  void collected(BatchLiveJob l) {
    live.remove(l);
    collected++;
  }

  /** Takes the snapshot that {@link #progress} returns. */
  void report() {
    int pending = 0, running = 0, inJobs = 0;
    for (BatchLiveJob l : live) {
      if (l.state == BatchJobs.State.PENDING) pending++;
      else running++;
      inJobs += l.tasks.size();
    }
    progress = new JobStats(pending, running, collected, inJobs, queue.size());
  }
}
