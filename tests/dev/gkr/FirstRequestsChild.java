package dev.gkr;

import dev.gkr.internal.engine.Timeline;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A run in a fresh JVM against a simulator elsewhere: prints each request's latency in ms, in start
 * order, on one line. Args: baseUrl tasks.
 */
public final class FirstRequestsChild {
  public static void main(String[] args) {
    Rotator r =
        Rotator.keys("first-key-0001", "first-key-0002", "first-key-0003")
            .slots(2)
            .baseUrl(args[0]);
    List<String> prompts = new ArrayList<>();
    for (int i = 0; i < Integer.parseInt(args[1]); i++) prompts.add("first " + i);
    r.run(prompts);
    List<Timeline.Entry> entries = new ArrayList<>(r.timelineEntries());
    entries.sort(Comparator.comparingLong(Timeline.Entry::startSeq));
    StringBuilder line = new StringBuilder();
    for (Timeline.Entry e : entries) line.append(e.latencyNanos() / 1_000_000).append(' ');
    System.out.println(line.toString().strip());
  }
}
