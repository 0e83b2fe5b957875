package dev.gkr.internal.embed;

import dev.gkr.Mode;
import dev.gkr.internal.batchmode.AutoSplit;
import dev.gkr.internal.common.Durations;
import dev.gkr.internal.config.Settings;
import dev.gkr.internal.plan.PlanRate;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * Which texts an embedding run sends as batch jobs. {@link Mode#BATCH}: all. {@link Mode#AUTO}, the
 * generation's rule: the first texts in input order go synchronously, as many as the declared quota
 * embeds within the deadline (every text counts as one request, its tokens against the token
 * limit), and the rest as batch jobs, submitted before the synchronous part starts so both run at
 * once. Texts of jobs an earlier run left at Google were re-attached before this split.
 */
final class EmbedSplit {
  private EmbedSplit() {}

  static List<Integer> batchPart(
      Settings s, EmbedTexts in, List<Integer> todo, Consumer<String> notices) {
    Mode mode = s.batch().mode();
    if (mode == Mode.SYNC || todo.isEmpty()) return List.of();
    if (mode == Mode.BATCH) return todo;
    Duration deadline = AutoSplit.deadline(s);
    PlanRate plan = PlanRate.of(s, todo.stream().map(in::task).toList(), false);
    double perMinute =
        plan.perMinute()
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "mode auto needs a rate to plan with: declare the quota (limits(...), --rpm/--tpm)"));
    int sync = (int) AutoSplit.syncCount(plan, perMinute, deadline, todo.size());
    notices.accept(
        "mode auto: "
            + sync
            + " text(s) synchronously (what the declared quota embeds within "
            + Durations.format(deadline)
            + "), "
            + (todo.size() - sync)
            + " as batch jobs");
    return todo.subList(sync, todo.size());
  }
}
