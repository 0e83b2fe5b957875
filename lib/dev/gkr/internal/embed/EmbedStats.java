package dev.gkr.internal.embed;

import dev.gkr.ErrorType;
import dev.gkr.JobStats;
import dev.gkr.KeyStats;
import dev.gkr.RunState;
import dev.gkr.RunStats;
import dev.gkr.Slowdown;
import dev.gkr.internal.keys.KeyBook;
import dev.gkr.internal.table.TaskResult;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An embedding run's progress as {@link RunStats}, the generation's snapshot, so {@code
 * rotator.stats()}, its {@code print()}, key table and cost line, and the CLI's summary serve both:
 * a "task" is a text ({@code print()} says "texts"), a "request" a synchronous call (a pack of
 * texts), the batch part's jobs are in {@code jobs()}, and each key's cost is what its texts cost.
 * Guarded by the {@link EmbedRun}'s lock.
 */
final class EmbedStats {
  private long start;
  private long end = -1;
  private RunState state = RunState.NOT_STARTED;
  private EmbedBatch batch;

  /** The run's batch part (null: none), whose jobs {@code stats().jobs()} shows. */
  void batch(EmbedBatch b) {
    batch = b;
  }

  void started(long now) {
    start = now;
    state = RunState.RUNNING;
  }

  /** The run ended; {@code stop} is what stopped it early (null: nothing did). */
  void ended(long now, ErrorType stop, EmbedTexts in) {
    end = now;
    boolean overBudget = false;
    for (int i = 0; i < in.size(); i++)
      overBudget |=
          in.result(i) != null
              && in.result(i).error() != null
              && in.result(i).error().contains("max cost");
    state =
        stop == null
            ? RunState.COMPLETED
            : switch (stop) {
              case NO_USABLE_KEYS -> RunState.NO_USABLE_KEYS;
              case MODEL_NOT_FOUND -> RunState.MODEL_NOT_FOUND;
              case CONNECTION -> RunState.UNREACHABLE;
              case OVERLOADED -> RunState.OVERLOADED;
              case CANCELLED -> overBudget ? RunState.BUDGET_REACHED : RunState.STOPPED;
              default -> RunState.COMPLETED;
            };
  }

  /** The run so far, {@code busy} of its {@code slots} waiting for a call's answer. */
  RunStats snapshot(
      EmbedTexts in, KeyBook book, int slots, int busy, long clock, Slowdown slowdown) {
    long now = end >= 0 ? end : clock;
    int restored = 0;
    int succeeded = 0;
    int failed = 0;
    int left = 0;
    double cost = 0;
    double restoredCost = 0;
    Map<String, Double> perKey = new HashMap<>();
    Map<String, Integer> perModel = new TreeMap<>();
    for (int i = 0; i < in.size(); i++) {
      TaskResult r = in.result(i);
      if (in.wasRestored(i)) restored++;
      if (r == null) {
        left++;
        continue;
      }
      if (r.success()) {
        succeeded++;
        perModel.merge(r.modelVersion(), 1, Integer::sum);
      } else if (!ErrorType.CANCELLED.code().equals(r.errorType())) failed++;
      double usd = r.costUsd();
      if (!Double.isNaN(usd)) {
        cost += usd;
        if (in.wasRestored(i)) restoredCost += usd;
        if (r.key() != null) perKey.merge(r.key(), usd, Double::sum);
      }
    }
    List<KeyStats> keys = book.stats(now, 0, k -> perKey.getOrDefault(k, 0.0));
    long requests = keys.stream().mapToLong(KeyStats::requests).sum();
    long rateLimited = keys.stream().mapToLong(KeyStats::rateLimited).sum();
    Duration elapsed = Duration.ofNanos(Math.max(0, now - start));
    return RunStats.builder()
        .total(in.size())
        .restored(restored)
        .succeeded(succeeded)
        .failed(failed)
        .queued(left)
        .slots(slots)
        .active(end >= 0 ? 0 : busy)
        .requests(requests)
        .rateLimited(rateLimited)
        .elapsed(elapsed)
        .requestsPerSecond(requests / Math.max(1e-9, elapsed.toNanos() / 1e9))
        .state(state)
        .slowdown(slowdown)
        .keys(keys)
        .succeededPerModel(perModel)
        .costUsd(cost)
        .restoredCostUsd(restoredCost)
        .syncPart(batch == null || requests > 0)
        .batchPart(batch != null)
        .jobs(batch == null ? JobStats.NONE : batch.jobs())
        .taskWord("text")
        .build();
  }
}
