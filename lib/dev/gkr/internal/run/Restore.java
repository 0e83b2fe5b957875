package dev.gkr.internal.run;

import dev.gkr.Task;
import dev.gkr.internal.common.Numbers;
import dev.gkr.internal.config.Settings;
import dev.gkr.internal.cost.Ledger;
import dev.gkr.internal.cost.Prices;
import dev.gkr.internal.json.RecordBinding;
import dev.gkr.internal.request.TaskRequest;
import dev.gkr.internal.store.Checkpoint;
import dev.gkr.internal.store.TaskHash;
import dev.gkr.internal.table.TaskResult;
import dev.gkr.internal.task.TaskState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What the checkpoint already holds: the results of tasks finished by an earlier run with the same
 * prompt and settings (a failed one only when failures are not retried), and the tasks left to do.
 * A restored result counts in the ledger: a rerun continues the same budget.
 *
 * @param results one slot per task, filled for the restored ones
 * @param succeededPerModel the restored successes by the model that answered them (the run's model
 *     for a row of a checkpoint older than the {@code model} column)
 */
record Restore(
    TaskResult[] results,
    List<TaskState> todo,
    int succeeded,
    int failed,
    int truncated,
    Map<String, Integer> succeededPerModel) {

  static Restore of(
      Settings settings,
      Ledger ledger,
      Checkpoint checkpoint,
      List<Task> tasks,
      TaskRequest[] requests,
      Consumer<String> notices) {
    Map<String, Checkpoint.Entry> done = checkpoint == null ? Map.of() : checkpoint.entries();
    // Each task's hash, once: to match the checkpoint now, and to write with its result later.
    String[] hashes =
        checkpoint == null ? null : TaskHash.ofAll(settings, tasks, i -> requests[i].hashExtra());
    TaskResult[] results = new TaskResult[tasks.size()];
    List<TaskState> todo = new ArrayList<>();
    int succeeded = 0, failed = 0, truncated = 0, changed = 0;
    Map<String, Integer> perModel = new java.util.TreeMap<>();
    for (int i = 0; i < tasks.size(); i++) {
      Task t = tasks.get(i);
      Checkpoint.Entry e = done.get(t.id());
      boolean same = e != null && e.hash().equals(hashes[i]) && binds(settings, e.result());
      if (same && (e.result().success() || !settings.retryFailed())) {
        results[i] = priced(ledger, e.result());
        ledger.restored(results[i].costUsd());
        if (e.result().success()) {
          succeeded++;
          String model = e.result().model();
          perModel.merge(model.isBlank() ? settings.model() : model, 1, Integer::sum);
        } else failed++;
        if (e.result().truncated()) truncated++;
      } else {
        if (e != null && !same) changed++;
        todo.add(new TaskState(i, t, hashes == null ? "" : hashes[i], requests[i]));
      }
    }
    if (changed > 0)
      notices.accept(
          Numbers.count(changed, "task")
              + " changed since the checkpoint (prompt or settings); "
              + (changed == 1 ? "it is" : "they are")
              + " redone");
    return new Restore(results, todo, succeeded, failed, truncated, Map.copyOf(perModel));
  }

  /**
   * A restored answer binds again to the run's record type: the schema is in the hash, so with the
   * same hash it binds unless the type changed in a way its schema does not show (a compact
   * constructor's check, say); such a task is redone like a changed one.
   */
  private static boolean binds(Settings settings, TaskResult r) {
    return !r.success()
        || settings
            .json()
            .type()
            .map(t -> RecordBinding.problem(t, r.json()).isEmpty())
            .orElse(true);
  }

  /**
   * A line written before gkr recorded costs, or when the price was unknown, is priced from its
   * tokens now.
   */
  private static TaskResult priced(Ledger ledger, TaskResult r) {
    if (!Double.isNaN(r.costUsd())) return r;
    if (!r.success()) return r.withCost(0, null);
    Ledger.Bill bill =
        ledger.priceRestored(
            new Prices.Usage(
                r.promptTokens(), r.cachedTokens(), r.outputTokens(), r.thoughtsTokens()),
            r.serviceTier());
    return r.withCost(bill.usd(), bill.tier());
  }

  int restored() {
    return succeeded + failed;
  }
}
