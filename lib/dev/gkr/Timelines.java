package dev.gkr;

import java.time.Duration;
import java.util.Objects;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Views of a run's {@link Rotator#timeline()} for notebooks and reports: throughput over time and
 * the latency distribution, as tables ready to chart.
 */
public final class Timelines {
  private Timelines() {}

  /**
   * Requests started per bucket: {@code t_s} (bucket start, seconds since the run began), {@code
   * requests}, {@code ok}, {@code rate_limited}, {@code other_errors}, {@code req_per_s}. Empty
   * buckets are included.
   */
  public static Table throughput(Table timeline, Duration bucket) {
    requireTimeline(timeline);
    if (bucket == null || bucket.isNegative() || bucket.isZero())
      throw new IllegalArgumentException("bucket must be > 0, was " + bucket);
    double width = bucket.toNanos() / 1e9;
    DoubleColumn start = timeline.doubleColumn("start_s");
    StringColumn outcome = timeline.stringColumn("outcome");
    int buckets = timeline.isEmpty() ? 0 : (int) Math.floor(start.max() / width) + 1;
    int[] total = new int[buckets], ok = new int[buckets], limited = new int[buckets];
    for (int i = 0; i < timeline.rowCount(); i++) {
      int b = (int) Math.floor(start.getDouble(i) / width);
      total[b]++;
      if (outcome.get(i).equals("ok")) ok[b]++;
      else if (outcome.get(i).equals(ErrorType.RATE_LIMITED.code())) limited[b]++;
    }
    double[] t = new double[buckets], rate = new double[buckets];
    int[] other = new int[buckets];
    for (int b = 0; b < buckets; b++) {
      t[b] = b * width;
      other[b] = total[b] - ok[b] - limited[b];
      rate[b] = total[b] / width;
    }
    return Table.create(
        "throughput",
        DoubleColumn.create("t_s", t),
        IntColumn.create("requests", total),
        IntColumn.create("ok", ok),
        IntColumn.create("rate_limited", limited),
        IntColumn.create("other_errors", other),
        DoubleColumn.create("req_per_s", rate));
  }

  /**
   * Latency of successful requests in {@code bins} equal-width bins: {@code from_ms}, {@code
   * to_ms}, {@code count}.
   */
  public static Table latencyHistogram(Table timeline, int bins) {
    requireTimeline(timeline);
    if (bins < 1) throw new IllegalArgumentException("bins must be >= 1, was " + bins);
    Table ok = timeline.where(timeline.stringColumn("outcome").isEqualTo("ok"));
    DoubleColumn latency = ok.doubleColumn("latency_ms");
    DoubleColumn from = DoubleColumn.create("from_ms");
    DoubleColumn to = DoubleColumn.create("to_ms");
    IntColumn count = IntColumn.create("count");
    if (!ok.isEmpty()) {
      double min = latency.min();
      double width = Math.max(1e-9, (latency.max() - min) / bins);
      int[] counts = new int[bins];
      for (int i = 0; i < latency.size(); i++)
        counts[Math.min(bins - 1, (int) ((latency.getDouble(i) - min) / width))]++;
      for (int b = 0; b < bins; b++) {
        from.append(min + b * width);
        to.append(min + (b + 1) * width);
        count.append(counts[b]);
      }
    }
    return Table.create("latency", from, to, count);
  }

  private static void requireTimeline(Table t) {
    Objects.requireNonNull(t, "timeline");
    for (String c : new String[] {"start_s", "latency_ms", "outcome"}) {
      if (!t.columnNames().contains(c))
        throw new IllegalArgumentException("not a timeline table: no '" + c + "' column");
    }
  }
}
