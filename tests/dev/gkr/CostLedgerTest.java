package dev.gkr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gkr.sim.Simulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

/**
 * Issue 19, end to end through the SDK and the simulator: cost_usd as Google bills
 * (gemini-2.5-flash: $0.30 input, $0.03 cached input, $2.50 output per 1M tokens; flex half of
 * input and output), restored costs, the maxCost stop.
 */
class CostLedgerTest {
  @TempDir Path dir;

  /** gemini-2.5-flash's bill by hand from a row's reported tokens, standard rates, USD. */
  static double flashBill(Table t, int row, double in, double cached, double out) {
    int prompt = t.intColumn("prompt_tokens").get(row), c = t.intColumn("cached_tokens").get(row);
    int answer = t.intColumn("output_tokens").get(row),
        thoughts = t.intColumn("thoughts_tokens").get(row);
    return ((prompt - c) * in + c * cached + (answer + thoughts) * out) / 1e6;
  }

  @Test
  void costCountsThinkingAsOutputAndCachedTokensOnceAtTheCachedRate() {
    String longSystem =
        "Answer as a careful reviewer of household appliances. "
            .repeat(90); // 4,950 bytes: about 1,238 tokens, cached by the simulator
    try (Simulator sim = Simulator.builder().start()) {
      Rotator r =
          Rotator.keys("cost-key-0001").baseUrl(sim.baseUrl()).systemInstruction(longSystem);
      Table t = r.run(List.of("Is a kettle worth descaling?"));
      assertTrue(t.booleanColumn("success").get(0), t.stringColumn("error").get(0));
      int prompt = t.intColumn("prompt_tokens").get(0),
          cached = t.intColumn("cached_tokens").get(0);
      assertTrue(
          cached > 1000 && cached < prompt,
          "the system instruction is served from the cache: " + cached + " of " + prompt);
      assertTrue(
          t.intColumn("thoughts_tokens").get(0) > 0,
          "2.5 Flash thinks by default in the simulator");
      double expected = flashBill(t, 0, 0.30, 0.03, 2.50);
      assertEquals(expected, t.doubleColumn("cost_usd").get(0), 1e-9);
      assertEquals("standard", t.stringColumn("service_tier").get(0));
      assertEquals(expected, r.stats().costUsd(), 1e-9, "the run's total");
      assertEquals(
          expected, r.stats().keyTable().doubleColumn("cost_usd").get(0), 1e-9, "the key's share");
    }
  }

  @Test
  void aPromptDirectiveSetsCachedTokensWhichArePartOfThePrompt() {
    try (Simulator sim = Simulator.builder().start()) {
      Table t =
          Rotator.keys("cost-key-0001")
              .baseUrl(sim.baseUrl())
              .generation(Generation.builder().thinkingBudget(0).build())
              .run(
                  List.of(
                      "[[sim:cached=8]] Summarise the water cycle in one sentence for a child."));
      assertEquals(8, t.intColumn("cached_tokens").get(0));
      assertEquals(0, t.intColumn("thoughts_tokens").get(0));
      assertEquals(
          t.intColumn("prompt_tokens").get(0) + t.intColumn("output_tokens").get(0),
          t.intColumn("total_tokens").get(0),
          "cached tokens are inside promptTokenCount, not added to the total");
      assertEquals(flashBill(t, 0, 0.30, 0.03, 2.50), t.doubleColumn("cost_usd").get(0), 1e-9);
    }
  }

  @Test
  void aRefusedAnswerIsStillBilledAsGoogleBillsEvery200() {
    try (Simulator sim = Simulator.builder().start()) {
      // "Think hard" is 10 bytes = 3 tokens; the simulator thinks past maxOutputTokens 50, so the
      // answer is empty (MAX_TOKENS)
      // after 50 thinking tokens: 3 x $0.30 + 50 x $2.50 = 125.9 per 1M, for each of the 2 attempts
      // (maxRetries 1)
      Rotator r =
          Rotator.keys("cost-key-0001")
              .baseUrl(sim.baseUrl())
              .generation(Generation.builder().maxOutputTokens(50).build())
              .retries(Retries.builder().maxRetries(1).build());
      Table t = r.run(List.of("Think hard"));
      assertEquals("truncated", t.stringColumn("error_type").get(0));
      assertEquals(2, t.intColumn("attempts").get(0));
      assertEquals(2 * 125.9e-6, t.doubleColumn("cost_usd").get(0), 1e-12);
      assertEquals(2 * 125.9e-6, r.stats().costUsd(), 1e-12);
    }
  }

  @Test
  void thePlanEstimatesTheCostFromTheSizeEstimateAndAnOutputAssumption() {
    List<String> tasks = List.of("abcdefgh", "abcd"); // 8 and 4 bytes: 2 and 1 input tokens
    // 100 output tokens each: (2 x 0.30 + 100 x 2.50) + (1 x 0.30 + 100 x 2.50) = 250.6 + 250.3 =
    // 500.9 per 1M
    assertEquals(
        500.9e-6,
        Rotator.keys("k")
            .cost(Cost.builder().expectedOutputTokens(100).build())
            .plan(tasks)
            .estimatedCostUsd(),
        1e-12);
    assertEquals(
        500.9e-6 / 2,
        Rotator.keys("k")
            .cost(Cost.builder().expectedOutputTokens(100).serviceTier("flex").build())
            .plan(tasks)
            .estimatedCostUsd(),
        1e-12);
    // no expectation: maxOutputTokens 40 is the most: (0.6 + 100) + (0.3 + 100) = 200.9 per 1M
    assertEquals(
        200.9e-6,
        Rotator.keys("k")
            .generation(Generation.builder().maxOutputTokens(40).build())
            .plan(tasks)
            .estimatedCostUsd(),
        1e-12);
    // neither: 1,000 output tokens each, said in the assumptions: (0.6 + 2,500) + (0.3 + 2,500) =
    // 5,000.9 per 1M
    Plan p = Rotator.keys("k").plan(tasks);
    assertEquals(5000.9e-6, p.estimatedCostUsd(), 1e-12);
    assertTrue(
        p.print().contains("cost:      about $0.005001"),
        p.print()); // $0.0050009 to the micro-dollar
    assertTrue(
        p.assumptions().stream().anyMatch(a -> a.contains("1,000 output tokens per task")),
        p.assumptions().toString());
    assertTrue(
        Double.isNaN(Rotator.keys("k").model("gemini-7-imaginary").plan(tasks).estimatedCostUsd()));
  }

  @Test
  void flexIsSentReportedByTheAnswerAndBilledAtTheFlexRates() {
    try (Simulator sim = Simulator.builder().start()) {
      Rotator r =
          Rotator.keys("cost-key-0001")
              .baseUrl(sim.baseUrl())
              .cost(Cost.builder().serviceTier("flex").build());
      Outcome.Success once = (Outcome.Success) r.generate("Name a prime number");
      assertEquals(
          "ON_DEMAND_FLEX",
          once.trafficType(),
          "the simulator reports flex only when the request carried serviceTier flex");
      Table t = r.run(List.of("Name two prime numbers"));
      assertEquals("flex", t.stringColumn("service_tier").get(0));
      assertEquals(flashBill(t, 0, 0.15, 0.015, 1.25), t.doubleColumn("cost_usd").get(0), 1e-9);
      Outcome.Success plain =
          (Outcome.Success)
              Rotator.keys("cost-key-0001").baseUrl(sim.baseUrl()).generate("Name a prime number");
      assertEquals("", plain.trafficType(), "no tier asked, none reported");
      assertThrows(
          IllegalArgumentException.class,
          () -> r.cost(Cost.builder().serviceTier("priority").build()));
    }
  }

  @Test
  void aModelWithoutAPriceLeavesTheCostEmptyAndSaysSoOnce() {
    List<String> notices = new CopyOnWriteArrayList<>();
    try (Simulator sim = Simulator.builder().start()) {
      Rotator r =
          Rotator.keys("cost-key-0001")
              .baseUrl(sim.baseUrl())
              .model("gemini-7-imaginary")
              .onEvent(
                  e -> {
                    if (e instanceof RotatorEvent.Notice n) notices.add(n.message());
                  });
      Table t = r.run(List.of("one", "two", "three"));
      for (int i = 0; i < 3; i++) {
        assertTrue(t.booleanColumn("success").get(i));
        assertTrue(t.doubleColumn("cost_usd").isMissing(i), "unknown, not zero");
      }
      assertTrue(Double.isNaN(r.stats().costUsd()));
      assertTrue(r.stats().print().contains("cost: unknown"), r.stats().print());
      assertEquals(
          1,
          notices.stream()
              .filter(m -> m.contains("no standard price for model gemini-7-imaginary"))
              .count(),
          notices.toString());
      assertThrows(
          IllegalArgumentException.class,
          () -> r.cost(Cost.builder().maxCost(1).build()).run(List.of("four")),
          "a cap cannot be kept without a price");
    }
  }

  @Test
  void aRestoredRowKeepsItsCostAndAnOldLineIsPricedFromItsTokens() throws Exception {
    Path cp = dir.resolve("cp.jsonl");
    try (Simulator sim = Simulator.builder().start()) {
      Table first =
          Rotator.keys("cost-key-0001")
              .baseUrl(sim.baseUrl())
              .checkpoint(cp)
              .cost(Cost.builder().serviceTier("flex").build())
              .run(List.of("alpha", "beta"));
      Rotator again = Rotator.keys("cost-key-0001").baseUrl(sim.baseUrl()).checkpoint(cp);
      Table second = again.run(List.of("alpha", "beta"));
      assertEquals(2, sim.requests().size(), "nothing sent again");
      for (int i = 0; i < 2; i++) {
        assertEquals(
            first.doubleColumn("cost_usd").get(i), second.doubleColumn("cost_usd").get(i), 1e-12);
        assertEquals(
            "flex",
            second.stringColumn("service_tier").get(i),
            "restored with the tier it was billed at");
      }
      assertEquals(
          first.doubleColumn("cost_usd").sum(),
          again.stats().costUsd(),
          1e-12,
          "restored costs count in the total");

      // a line written before gkr kept costs: priced again from its tokens, at the tier it names
      Files.writeString(cp, Files.readString(cp).replaceAll(",\"cost_usd\":[0-9.Ee-]+", ""));
      assertFalse(Files.readString(cp).contains("cost_usd"));
      Table third =
          Rotator.keys("cost-key-0001")
              .baseUrl(sim.baseUrl())
              .checkpoint(cp)
              .run(List.of("alpha", "beta"));
      assertEquals(
          flashBill(third, 0, 0.15, 0.015, 1.25), third.doubleColumn("cost_usd").get(0), 1e-9);
      assertEquals(
          first.doubleColumn("cost_usd").get(1), third.doubleColumn("cost_usd").get(1), 1e-9);
    }
  }

  @Test
  void theRunStopsBeforeTheCapCouldBePassedAndARerunWithAHigherCapFinishes() throws Exception {
    Path cp = dir.resolve("budget.jsonl");
    List<String> prompts = new ArrayList<>();
    for (int i = 0; i < 12; i++)
      prompts.add(String.format("Give one fact about the number %02d.", i)); // 34 bytes each
    try (Simulator sim = Simulator.builder().start()) {
      // Each request costs c = (9 x $0.30 + 13 x $2.50) / 1M: the 34-byte prompt is 9 tokens (4
      // bytes a token, rounded up),
      // the 51-byte answer "Answer 1234abcd: Give one fact about the number 00." 13 tokens.
      // Each reserves its worst case r = (9 x $0.30 + 200 x $2.50) / 1M (maxOutputTokens 200,
      // thinking off).
      double c = (9 * 0.30 + 13 * 2.50) / 1e6, worst = (9 * 0.30 + 200 * 2.50) / 1e6;
      double cap =
          5 * c + worst
              + c / 2; // one slot: request k starts while k x c + r <= cap, so k = 0..5: 6 requests
      Rotator r =
          Rotator.keys("cost-key-0001")
              .baseUrl(sim.baseUrl())
              .checkpoint(cp)
              .generation(Generation.builder().maxOutputTokens(200).thinkingBudget(0).build())
              .cost(Cost.builder().maxCost(cap).build());
      Table t = r.run(prompts);
      assertEquals(
          c, t.doubleColumn("cost_usd").get(0), 1e-12, "the hand-computed price of one answer");
      assertEquals(
          6,
          sim.requests().size(),
          "no request started once spent + worst case would pass the cap");
      assertEquals(RunState.BUDGET_REACHED, r.stats().state());
      assertEquals(6, r.stats().succeeded());
      assertTrue(r.stats().costUsd() <= cap);
      for (int i = 6; i < 12; i++) {
        assertEquals("cancelled", t.stringColumn("error_type").get(i));
        assertTrue(
            t.stringColumn("error").get(i).contains("raise it and run again"),
            t.stringColumn("error").get(i));
      }
      assertEquals(
          6, Files.readAllLines(cp).size(), "the checkpoint holds exactly the finished tasks");

      Rotator more =
          Rotator.keys("cost-key-0001")
              .baseUrl(sim.baseUrl())
              .checkpoint(cp)
              .generation(Generation.builder().maxOutputTokens(200).thinkingBudget(0).build())
              .cost(Cost.builder().maxCost(1.0).build());
      Table all = more.run(prompts);
      assertEquals(RunState.COMPLETED, more.stats().state());
      assertEquals(12, sim.requests().size(), "the rerun sent only the 6 left: every task once");
      assertEquals(12, all.booleanColumn("success").countTrue());
      assertEquals(12 * c, more.stats().costUsd(), 1e-12, "restored and new costs together");
    }
  }

  @Test
  void withManySlotsTheSpendPlusWorstCasesInFlightNeverPassesTheCap() {
    List<String> prompts = new ArrayList<>();
    for (int i = 0; i < 40; i++) prompts.add("Count the letters of word number " + i);
    try (Simulator sim = Simulator.builder().start()) {
      // an answer costs about $0.00004 (40 cost about $0.0016); a worst case (10 x 0.30 + 100 x
      // 2.50) / 1M = $0.000253,
      // so with 16 slots only a few requests fit in flight at once under the cap
      double cap = 0.001;
      Rotator r =
          Rotator.keys("k-0001", "k-0002", "k-0003", "k-0004")
              .slots(4)
              .baseUrl(sim.baseUrl())
              .generation(Generation.builder().maxOutputTokens(100).thinkingBudget(0).build())
              .cost(Cost.builder().maxCost(cap).build());
      Table t = r.run(prompts);
      assertEquals(RunState.BUDGET_REACHED, r.stats().state(), r.stats().print() + t.print(3));
      assertTrue(r.stats().costUsd() <= cap, r.stats().costUsd() + " > " + cap);
      long done = t.booleanColumn("success").countTrue();
      assertTrue(done > 0 && done < 40, "some done, the rest left: " + done);
      assertEquals(
          done,
          sim.requests().stream().filter(q -> q.status() == 200).count(),
          "every answer that was billed is in the table");
      assertEquals(t.doubleColumn("cost_usd").sum(), r.stats().costUsd(), 1e-12);
    }
  }
}
