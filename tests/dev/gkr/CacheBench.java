package dev.gkr;

import dev.gkr.sim.Quota;
import dev.gkr.sim.Simulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tech.tablesaw.api.Table;

/**
 * Part 11 of {@code scripts/bench} (issue 28): a ~50,000-token shared document and 500 tasks on two
 * projects of two keys each, sent with {@code --cache auto} and with {@code --cache off} to the
 * simulator; the whole bill of each (requests plus cache storage), the ratio, the caches created,
 * and whether the answers are the same. Storage is billed for the time the caches lived (the run's
 * seconds); the worst case, the full planned TTL reserved, is printed beside it. Thinking is off in
 * both runs: the simulator thinks 2 tokens per uncached input token, so with thinking on the ratio
 * would measure the simulator's thinking model rather than the cache. The simulator's answer echoes
 * the files of the request ({@code [files: text/plain 200043 B]}), which a cached request no longer
 * carries: answers are compared without that echo.
 */
public final class CacheBench {
  private CacheBench() {}

  public static void main(String[] args) throws Exception {
    Path dir = Files.createTempDirectory("gkr-cache-bench");
    Path doc = dir.resolve("handbook.txt");
    StringBuilder b = new StringBuilder();
    for (int i = 0; b.length() < 200_000; i++)
      b.append("Section ").append(i).append(": the pump must be primed before each start. ");
    Files.writeString(doc, b.toString()); // 200,000 bytes: about 50,000 tokens at 4 bytes each
    List<String> tasks = new ArrayList<>();
    for (int i = 1; i <= 500; i++)
      tasks.add("Question " + i + ": what does section " + i + " say?");
    Bill auto = run(doc, tasks, "auto", 0);
    Bill off = run(doc, tasks, "off", 0);
    Bill autoThinking = run(doc, tasks, "auto", -1);
    Bill offThinking = run(doc, tasks, "off", -1);
    String base = String.format(Locale.ROOT, "--cache off $%.6f", off.usd());
    String part = "11 context cache, 50k-token context, 500 tasks, 2 projects";
    Bench.result(
        part, "USD, --cache auto (requests + storage)", auto.usd(), base, auto.usd() / off.usd());
    Bench.result(
        part,
        "USD, --cache auto with a full planned TTL of storage",
        auto.requests() + auto.plannedStorage(),
        base,
        (auto.requests() + auto.plannedStorage()) / off.usd());
    Bench.result(
        part,
        "caches created, --cache auto",
        auto.caches(),
        "one per project: 2",
        auto.caches() / 2.0);
    Bench.result(
        part,
        "answers that differ between auto and off",
        differing(auto.answers(), off.answers()),
        "0",
        Double.NaN);
    Bench.result(
        part,
        "USD, --cache auto, the simulator's thinking on (2 tokens per input token)",
        autoThinking.usd(),
        String.format(Locale.ROOT, "--cache off $%.6f", offThinking.usd()),
        autoThinking.usd() / offThinking.usd());
  }

  record Bill(double requests, double storage, double plannedStorage, int caches, Table answers) {
    double usd() {
      return requests + storage;
    }
  }

  /** {@code thinking} 0: off; -1: the model's own (the simulator: 200 + 2 x input tokens). */
  private static Bill run(Path doc, List<String> tasks, String mode, int thinking) {
    try (Simulator sim =
        Simulator.builder()
            .project("alpha", Quota.unlimited(), "bench-cache-a001", "bench-cache-a002")
            .project("beta", Quota.unlimited(), "bench-cache-b001", "bench-cache-b002")
            .start()) {
      Rotator r =
          Rotator.keys(
                  "bench-cache-a001", "bench-cache-a002", "bench-cache-b001", "bench-cache-b002")
              .project("alpha", "bench-cache-a001", "bench-cache-a002")
              .project("beta", "bench-cache-b001", "bench-cache-b002")
              .baseUrl(sim.baseUrl())
              .slots(4)
              .context(doc)
              .generation(Generation.builder().thinkingBudget(thinking).build())
              .cost(Cost.builder().contextCache(mode).build());
      double planned =
          dev.gkr.internal.plan.CachePlan.of(
                  r.settings(), dev.gkr.internal.request.TaskInputs.fromList(tasks), tasks.size())
              .stream()
              .filter(dev.gkr.internal.cost.CacheChoice::cached)
              .mapToDouble(dev.gkr.internal.cost.CacheChoice::storageUsd)
              .sum();
      Table t = r.run(tasks);
      RunStats s = r.stats();
      return new Bill(
          t.doubleColumn("cost_usd").sum(),
          s.cacheStorageCostUsd(),
          planned,
          sim.caches().created(),
          t);
    }
  }

  private static int differing(Table a, Table b) {
    int n = 0;
    for (int i = 0; i < a.rowCount(); i++)
      if (!a.stringColumn("response").get(i).equals(b.stringColumn("response").get(i))) n++;
    return n;
  }
}
