package dev.gkr.internal.batchmode;

import dev.gkr.Mode;
import dev.gkr.internal.common.Durations;
import dev.gkr.internal.config.Settings;
import dev.gkr.internal.plan.PlanRate;
import dev.gkr.internal.task.TaskState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Which pending tasks go as batch jobs. {@link Mode#BATCH}: all. {@link Mode#AUTO}: the tasks of
 * jobs an earlier run left at Google (never sent twice), and whatever the synchronous mode cannot
 * finish within the deadline at the rate the plan derives from the declared quota; the first tasks
 * in input order go synchronously.
 */
public final class AutoSplit {
  private AutoSplit() {}

  public static List<TaskState> batchPart(
      Settings s, List<TaskState> todo, Consumer<String> notices) {
    Mode mode = s.batch().mode();
    if (mode == Mode.SYNC) return List.of();
    if (mode == Mode.BATCH) return todo;
    Duration deadline = deadline(s);
    Set<String> journaled = new HashSet<>();
    s.checkpoint()
        .map(BatchJournal::besides)
        .map(BatchJournal::load)
        .ifPresent(j -> j.jobs().forEach(job -> journaled.addAll(job.tasks())));
    List<TaskState> rest = new ArrayList<>();
    List<TaskState> batch = new ArrayList<>();
    for (TaskState t : todo) (journaled.contains(t.id()) ? batch : rest).add(t);
    PlanRate plan = PlanRate.of(s, rest.stream().map(TaskState::task).toList());
    double perMinute =
        plan.perMinute()
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "mode auto needs a rate to plan with: declare the quota (limits(...)) or pace the slots (every(...))"));
    long sync = syncCount(plan, perMinute, deadline, rest.size());
    batch.addAll(rest.subList((int) sync, rest.size()));
    notices.accept(
        "mode auto: "
            + sync
            + " task(s) synchronously (what the declared quota finishes within "
            + Durations.format(deadline)
            + "), "
            + batch.size()
            + " as batch jobs");
    return batch;
  }

  /** Mode auto's deadline; an error naming the setting when none was given. */
  public static Duration deadline(Settings s) {
    return s.batch()
        .deadline()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "mode auto needs a deadline (deadline(...), e.g. 2h): the tasks sync cannot finish by then go as batch jobs"));
  }

  /**
   * How many of {@code n} requests the plan's rate ({@code perMinute}) and daily limits finish
   * within {@code deadline}.
   */
  public static long syncCount(PlanRate plan, double perMinute, Duration deadline, int n) {
    long bySpeed = (long) Math.floor(perMinute * deadline.toNanos() / 60e9);
    long days = Math.max(1, (long) Math.ceil(deadline.toHours() / 24.0));
    return Math.min(n, plan.perDay().map(d -> Math.min(bySpeed, d * days)).orElse(bySpeed));
  }
}
