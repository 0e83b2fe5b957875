package dev.gkr.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19 from the command line: --prices, --max-cost (exit 4, then a rerun finishes),
 * --service-tier.
 */
class CostCliTest {
  @TempDir Path dir;

  InProcessGkr gkr(String... args) {
    return InProcessGkr.run(Map.of(), "", args);
  }

  Path tasks(int n) throws Exception {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) sb.append("question number ").append(i).append('\n');
    return Files.writeString(dir.resolve("tasks.txt"), sb.toString());
  }

  @Test
  void aBadPricesFileStopsBeforeAnyRequestNamingTheField() throws Exception {
    Path t = tasks(3);
    Path prices =
        Files.writeString(
            dir.resolve("prices.json"),
            "{\"models\": {\"gemini-2.5-flash\": {\"standard\": {\"input\": 0.3, \"cachedInput\": 0.03}}}}");
    InProcessGkr r = gkr("--simulate", "--quiet", "--prices", prices.toString(), t.toString());
    assertEquals(2, r.code(), r.err());
    assertTrue(
        r.err()
            .contains(
                "prices file " + prices + ": models.gemini-2.5-flash.standard.output is missing"),
        r.err());
    assertFalse(Files.exists(dir.resolve("tasks.txt.checkpoint.jsonl")), "nothing was run");
  }

  @Test
  void aPricesFileReplacesTheBuiltInPrice() throws Exception {
    Path t = tasks(2);
    // $1,000,000 per 1M output tokens: a cost of (input x 1 + output x 1,000,000) / 1M, input at $1
    Path prices =
        Files.writeString(
            dir.resolve("prices.json"),
            "{\"models\": {\"gemini-2.5-flash\": {\"standard\": {\"input\": 1, \"output\": 1000000, \"cachedInput\": 1}}}}");
    InProcessGkr r =
        gkr(
            "--simulate",
            "--quiet",
            "--thinking-budget",
            "0",
            "--prices",
            prices.toString(),
            "--out",
            dir.resolve("out.csv").toString(),
            t.toString());
    assertEquals(0, r.code(), r.err());
    tech.tablesaw.api.Table out =
        tech.tablesaw.api.Table.read().csv(dir.resolve("out.csv").toString());
    for (int i = 0; i < 2; i++) {
      double expected =
          (out.intColumn("prompt_tokens").get(i)
                  + out.intColumn("output_tokens").get(i) * 1_000_000.0)
              / 1e6;
      assertEquals(expected, out.doubleColumn("cost_usd").get(i), 1e-9);
    }
  }

  @Test
  void maxCostStopsWithExitFourAndARerunWithAHigherCapFinishes() throws Exception {
    Path t = tasks(5);
    // without --max-output-tokens a request in flight is reserved at 8,192 output tokens: $0.02048
    // at 2.5 Flash's $2.50
    InProcessGkr low = gkr("--simulate", "--quiet", "--max-cost", "0.02", t.toString());
    assertEquals(4, low.code(), low.err());
    assertTrue(low.err().contains("Raise --max-cost (see above for how far)"), low.err());
    assertTrue(low.out().startsWith("budget_reached: 5 tasks, 0 succeeded"), low.out());
    InProcessGkr high = gkr("--simulate", "--quiet", "--max-cost", "1", t.toString());
    assertEquals(0, high.code(), high.err());
    assertTrue(high.out().startsWith("completed: 5 tasks, 5 succeeded"), high.out());
  }

  @Test
  void aCapBelowOneRequestsWorstCaseSaysNothingWasSentAndTheSmallestCapThatStarts_issue25()
      throws Exception {
    Path t = tasks(5);
    InProcessGkr low = gkr("--simulate", "--quiet", "--max-cost", "0.01", t.toString());
    assertEquals(4, low.code(), low.err());
    assertTrue(
        low.err()
            .contains(
                "gkr: nothing was sent: a request reserves its worst case until it is billed (its"
                    + " input plus --max-output-tokens of output, 8,192 when not set), up to $0.020482"
                    + " here, more than the max cost of $0.010000; a cap of at least $0.020482 starts"
                    + " the run"),
        low.err());
    assertFalse(
        low.err().contains("maxCost"), "the command line names --max-cost only: " + low.err());
    InProcessGkr started = gkr("--simulate", "--quiet", "--max-cost", "0.0205", t.toString());
    assertFalse(
        started.out().contains(" 0 succeeded"),
        "the cap it named starts the run: " + started.out());

    GkrProcess plan =
        GkrProcess.run(
            dir,
            java.util.Map.of("GEMINI_API_KEYS", "plan-key-0001"),
            "plan",
            "--max-cost",
            "0.01",
            t.toString());
    assertTrue(
        plan.out().contains("assumed:   a cost cap must be at least $0.020482 to start at all"),
        plan.out() + plan.err());
  }

  @Test
  void aCapWithoutAPriceAndAnUnknownTierAreInputErrors() throws Exception {
    Path t = tasks(1);
    InProcessGkr noPrice =
        gkr(
            "--simulate",
            "--quiet",
            "--model",
            "gemini-7-imaginary",
            "--max-cost",
            "1",
            t.toString());
    assertEquals(2, noPrice.code(), noPrice.err());
    assertTrue(
        noPrice
            .err()
            .contains("--max-cost needs a price: no standard price for model gemini-7-imaginary"),
        noPrice.err());
    InProcessGkr tier = gkr("--simulate", "--quiet", "--service-tier", "turbo", t.toString());
    assertEquals(2, tier.code(), tier.err());
    assertTrue(
        tier.err().contains("--service-tier must be flex or standard, was 'turbo'"), tier.err());
    InProcessGkr zero = gkr("--simulate", "--quiet", "--max-cost", "0", t.toString());
    assertEquals(2, zero.code(), zero.err());
    assertTrue(
        zero.err().contains("gkr: --max-cost must be a positive number of USD, was 0.0"),
        zero.err());
  }

  @Test
  void flexFromTheCommandLineIsRecordedPerRow() throws Exception {
    Path t = tasks(2);
    InProcessGkr r =
        gkr(
            "--simulate",
            "--quiet",
            "--service-tier",
            "flex",
            "--out",
            dir.resolve("flex.csv").toString(),
            t.toString());
    assertEquals(0, r.code(), r.err());
    tech.tablesaw.api.Table out =
        tech.tablesaw.api.Table.read().csv(dir.resolve("flex.csv").toString());
    assertEquals(2, out.stringColumn("service_tier").countOccurrences("flex"));
  }
}
