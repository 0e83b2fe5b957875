package dev.gkr.internal.batchmode;

import dev.gkr.internal.common.ApiKey;
import dev.gkr.internal.task.TaskState;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A batch job in flight: its journal entry, key and project, the unfinished tasks it carries (by
 * id), and its last state seen. On the batch run's one thread.
 */
final class BatchLiveJob {
  final BatchJournal.Job entry;
  final ApiKey key;
  final String project;
  final Map<String, TaskState> tasks = new LinkedHashMap<>();
  BatchJobs.State state = BatchJobs.State.PENDING;

  BatchLiveJob(BatchJournal.Job entry, ApiKey key, String project) {
    this.entry = entry;
    this.key = key;
    this.project = project;
  }
}
