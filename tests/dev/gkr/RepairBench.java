package dev.gkr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gkr.internal.json.JsonRepair;
import dev.gkr.internal.json.RepairRefusal;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The JSON repair part of {@code scripts/bench}: how the repair fares on the test corpus (cases
 * repaired, refused as expected, wrong) and how fast it reads answers (median of timed rounds after
 * a warm-up, in one JVM; the JMH line of the {@code micro} part measures the same loop with JMH's
 * harness).
 */
final class RepairBench {
  private RepairBench() {}

  record Case(String input, boolean cutOff, JsonNode expect, RepairRefusal refuse) {}

  static List<Case> corpus() throws Exception {
    ObjectMapper json = new ObjectMapper();
    List<Case> out = new ArrayList<>();
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(
                RepairBench.class.getResourceAsStream("/json-repair-corpus.jsonl"),
                StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        if (line.isBlank()) continue;
        JsonNode c = json.readTree(line);
        out.add(
            new Case(
                c.get("input").asText(),
                c.path("cutOff").asBoolean(),
                c.get("expect"),
                c.has("refuse") ? RepairRefusal.valueOf(c.get("refuse").asText()) : null));
      }
    }
    return out;
  }

  static void run() throws Exception {
    List<Case> cases = corpus();
    int repaired = 0;
    int refused = 0;
    int wrong = 0;
    for (Case c : cases) {
      try {
        JsonNode v = JsonRepair.repair(c.input(), c.cutOff());
        if (c.expect() != null && c.expect().equals(v)) repaired++;
        else wrong++;
      } catch (JsonRepair.RepairException e) {
        if (c.refuse() == e.reason()) refused++;
        else wrong++;
      }
    }
    int n = cases.size();
    Bench.result(
        "6 JSON repair",
        "corpus cases repaired as expected (of " + n + ")",
        repaired,
        "",
        Double.NaN);
    Bench.result(
        "6 JSON repair",
        "corpus cases refused as expected (of " + n + ")",
        refused,
        "",
        Double.NaN);
    Bench.result(
        "6 JSON repair",
        "corpus cases wrong (value or reason differs)",
        wrong,
        "0 (required)",
        Double.NaN);
    double[] rounds = rates(cases, 2, 7);
    Bench.result(
        "6 JSON repair",
        "answers/s over the " + n + "-case corpus (median of 7 x 1 s)",
        rounds[rounds.length / 2],
        "min "
            + String.format(java.util.Locale.ROOT, "%.0f", rounds[0])
            + ", max "
            + String.format(java.util.Locale.ROOT, "%.0f", rounds[rounds.length - 1]),
        Double.NaN);
  }

  /** Answers per second in each timed round, sorted; {@code warmups} untimed rounds first. */
  static double[] rates(List<Case> cases, int warmups, int rounds) {
    String[] inputs = cases.stream().map(Case::input).toArray(String[]::new);
    boolean[] cut = new boolean[inputs.length];
    for (int k = 0; k < cut.length; k++) cut[k] = cases.get(k).cutOff();
    double[] out = new double[rounds];
    long sink = 0;
    for (int r = -warmups; r < rounds; r++) {
      long answers = 0;
      long t0 = System.nanoTime();
      long end = t0 + 1_000_000_000L;
      while (System.nanoTime() < end) {
        for (int k = 0; k < inputs.length; k++) {
          try {
            sink += JsonRepair.repair(inputs[k], cut[k]).size();
          } catch (JsonRepair.RepairException e) {
            sink += e.reason().ordinal();
          }
        }
        answers += inputs.length;
      }
      if (r >= 0) out[r] = answers / ((System.nanoTime() - t0) / 1e9);
    }
    if (sink == 42) System.out.print(""); // keep the work observable
    Arrays.sort(out);
    return out;
  }
}
