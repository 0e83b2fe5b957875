package dev.gkr.internal.batchmode;

import dev.gkr.internal.common.ApiKey;
import dev.gkr.internal.task.TaskState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Picks up the jobs of an earlier run from the {@link BatchJournal}: each keeps the tasks that are
 * still unfinished and goes back in flight, so that its tasks are not submitted again (see {@link
 * BatchLoop}).
 */
final class BatchReattach {
  private BatchReattach() {}

  /** Puts the journaled jobs that still carry one of {@code byId}'s tasks in flight. */
  static void jobs(
      BatchContext run,
      BatchBudget budget,
      BatchJournal journal,
      BatchJobs api,
      Map<String, TaskState> byId) {
    for (BatchJournal.Job j : journal.jobs()) {
      ApiKey key =
          run.settings().keys().stream()
              .filter(k -> k.display().equals(j.key()))
              .findFirst()
              .orElse(null);
      List<TaskState> mine = new ArrayList<>();
      for (int i = 0; i < j.tasks().size(); i++) {
        TaskState t = byId.get(j.tasks().get(i));
        if (t != null && j.sameAsSubmitted(i, t.hash()))
          mine.add(t); // a task changed since is sent anew; the job's answer is ignored
      }
      if (key == null) {
        run.notice(
            "batch job "
                + (j.name().isEmpty() ? j.displayName() : j.name())
                + " was created with key "
                + j.key()
                + ", which is not among this run's keys; its tasks are submitted again");
        journal.remove(j);
        continue;
      }
      BatchJournal.Job entry = j;
      if (j.name().isEmpty()) { // the process died around the create call: did it reach the API?
        Optional<String> found =
            BatchContext.safe(() -> api.findByDisplayName(key, j.displayName()));
        if (found.isEmpty()) {
          journal.remove(j);
          continue;
        }
        entry = j.named(found.get());
        journal.replace(j, entry);
      }
      if (mine.isEmpty()) { // its results are all in the checkpoint already
        journal.remove(entry);
        continue;
      }
      BatchLiveJob l = new BatchLiveJob(entry, key, run.projectOf(key));
      for (TaskState t : mine) {
        l.carry(t);
        budget.reserveCommitted(t); // the job runs whatever the cap: its worst case counts
      }
      run.work().started(l);
      run.perKey().submitted(key.index(), mine.size());
      run.notice("re-attached to batch job " + entry.name() + " (" + mine.size() + " tasks)");
    }
  }
}
