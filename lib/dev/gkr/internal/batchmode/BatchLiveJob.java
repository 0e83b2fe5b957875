package dev.gkr.internal.batchmode;

import dev.gkr.internal.common.ApiKey;
import dev.gkr.internal.task.TaskState;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A batch job in flight: its journal entry, key and project, the unfinished tasks it carries (by
 * id), and its last state seen. Owned by the batch thread, like the tasks it carries.
 */
final class BatchLiveJob {
  private final BatchJournal.Job entry;
  private final ApiKey key;
  private final String project;
  private final Map<String, TaskState> tasks = new LinkedHashMap<>();
  private BatchJobs.State state = BatchJobs.State.PENDING;

  BatchLiveJob(BatchJournal.Job entry, ApiKey key, String project) {
    this.entry = entry;
    this.key = key;
    this.project = project;
  }

  BatchJournal.Job entry() {
    return entry;
  }

  /** The job's resource name, {@code batches/...}. */
  String name() {
    return entry.name();
  }

  ApiKey key() {
    return key;
  }

  String project() {
    return project;
  }

  /** The job carries this task until its answer is read. */
  void carry(TaskState t) {
    tasks.put(t.id(), t);
  }

  boolean carries(String taskId) {
    return tasks.containsKey(taskId);
  }

  /** Takes out the task an answer is for; null when the job does not carry it (any more). */
  TaskState answered(String taskId) {
    return tasks.remove(taskId);
  }

  /** The tasks still waiting for an answer from this job. */
  List<TaskState> unanswered() {
    return List.copyOf(tasks.values());
  }

  int size() {
    return tasks.size();
  }

  BatchJobs.State state() {
    return state;
  }

  /** The state seen at the last poll; true when it changed. */
  boolean seen(BatchJobs.State s) {
    boolean changed = s != state;
    state = s;
    return changed;
  }
}
