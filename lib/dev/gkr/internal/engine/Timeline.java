package dev.gkr.internal.engine;

import dev.gkr.internal.common.Numbers;
import java.util.ArrayList;
import java.util.List;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Every request of a run: which slot and key started it, when, how long it took, and how it ended.
 */
public final class Timeline {
  /**
   * One request; {@code startNanos} is on the run's clock, relative to the run's start. {@code
   * startSeq} and {@code endSeq} order the hand-out and the report of every request of the run
   * (both taken under the scheduler's lock), so tests can tell exactly what happened after what.
   */
  public record Entry(
      int slot,
      String key,
      String taskId,
      long startNanos,
      long latencyNanos,
      String outcome,
      long startSeq,
      long endSeq) {}

  private final List<Entry> entries = new ArrayList<>();

  /** Called under the scheduler's lock. */
  void add(Entry e) {
    entries.add(e);
  }

  /** The first {@code n} entries, in the order they were added. */
  List<Entry> entries(int n) {
    return List.copyOf(entries.subList(0, Math.min(n, entries.size())));
  }

  int size() {
    return entries.size();
  }

  public static Table table(List<Entry> entries) {
    IntColumn slot = IntColumn.create("slot");
    StringColumn key = StringColumn.create("key");
    StringColumn task = StringColumn.create("task_id");
    DoubleColumn start = DoubleColumn.create("start_s");
    DoubleColumn latency = DoubleColumn.create("latency_ms");
    StringColumn outcome = StringColumn.create("outcome");
    List<Entry> sorted = new ArrayList<>(entries);
    sorted.sort(java.util.Comparator.comparingLong(Entry::startNanos));
    for (Entry e : sorted) {
      slot.append(e.slot());
      key.append(e.key());
      task.append(e.taskId());
      start.append(Numbers.secondsToMillis(e.startNanos()));
      latency.append(Numbers.wholeMillis(e.latencyNanos()));
      outcome.append(e.outcome());
    }
    return Table.create("timeline", slot, key, task, start, latency, outcome);
  }
}
