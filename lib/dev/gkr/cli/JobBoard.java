package dev.gkr.cli;

import dev.gkr.RotatorEvent;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The batch jobs of a run as the monitor line shows them (issue 19): how many are in each state,
 * e.g. {@code | jobs: 1 pending, 2 running, 3 succeeded}. Fed by {@link RotatorEvent.JobUpdated};
 * thread-safe.
 */
final class JobBoard implements Consumer<RotatorEvent> {
  private final Map<String, String> states = new ConcurrentHashMap<>();

  @Override
  public void accept(RotatorEvent e) {
    if (e instanceof RotatorEvent.JobUpdated j) states.put(j.job(), j.state());
  }

  /** Empty when the run has no jobs. */
  String suffix() {
    if (states.isEmpty()) return "";
    Map<String, Integer> counts = new TreeMap<>();
    for (String s : states.values()) counts.merge(s, 1, Integer::sum);
    StringBuilder sb = new StringBuilder(" | jobs:");
    String sep = " ";
    for (String s :
        new String[] {"PENDING", "RUNNING", "SUCCEEDED", "FAILED", "EXPIRED", "CANCELLED"}) {
      Integer n = counts.get(s);
      if (n == null) continue;
      sb.append(sep).append(n).append(' ').append(s.toLowerCase(Locale.ROOT));
      sep = ", ";
    }
    return sb.toString();
  }
}
