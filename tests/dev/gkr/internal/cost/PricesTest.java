package dev.gkr.internal.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19: the ledger against bills computed by hand (each expected value is worked out in the
 * comment beside it from the rates of the table written here, not taken from the code).
 */
class PricesTest {
  @TempDir Path dir;

  /**
   * Round rates so the bills are easy to check by hand: USD per 1M tokens, a long tier above 1,000
   * prompt tokens.
   */
  static final String TABLE =
      """
      {"models": {"test-model": {"longContextAbove": 1000,
        "standard": {"input": 1.0, "output": 10.0, "cachedInput": 0.1, "longInput": 2.0, "longOutput": 15.0, "longCachedInput": 0.2},
        "batch":    {"input": 0.5, "output": 5.0,  "cachedInput": 0.05, "longInput": 1.0, "longOutput": 7.5, "longCachedInput": 0.1},
        "flex":     {"input": 0.4, "output": 4.0,  "cachedInput": 0.04, "longInput": 0.8, "longOutput": 6.0, "longCachedInput": 0.08}},
       "no-flex-model": {"standard": {"input": 1.0, "output": 2.0, "cachedInput": 0.5}}}}
      """;

  final Prices prices = Prices.parse(TABLE, "test table");

  @Test
  void thinkingTokensAreBilledAsOutput() {
    // 100 prompt x $1 + (50 answer + 200 thinking) x $10 = 100 + 2,500 = $2,600 per 1M -> $0.0026
    assertEquals(
        0.0026,
        prices.cost("test-model", new Prices.Usage(100, 0, 50, 200), PriceTier.STANDARD),
        1e-12);
  }

  @Test
  void cachedTokensArePartOfThePromptAndBilledAtTheCachedRate() {
    // 1,000 prompt of which 600 cached: 400 x $1 + 600 x $0.1 + 10 x $10 = 400 + 60 + 100 = 560 ->
    // $0.00056
    // (counting the cached tokens on top of the prompt would give 1,000 + 60 + 100 = $0.00116)
    assertEquals(
        0.00056,
        prices.cost("test-model", new Prices.Usage(1000, 600, 10, 0), PriceTier.STANDARD),
        1e-12);
  }

  @Test
  void aPromptAboveTheThresholdIsBilledWhollyAtTheLongContextRates() {
    // exactly 1,000 is not above: 1,000 x $1 + 10 x $10 = 1,100 -> $0.0011
    assertEquals(
        0.0011,
        prices.cost("test-model", new Prices.Usage(1000, 0, 10, 0), PriceTier.STANDARD),
        1e-12);
    // 1,001 with 1 cached: 1,000 x $2 + 1 x $0.2 + 10 x $15 = 2,150.2 -> $0.0021502
    assertEquals(
        0.0021502,
        prices.cost("test-model", new Prices.Usage(1001, 1, 10, 0), PriceTier.STANDARD),
        1e-12);
  }

  @Test
  void flexAndBatchUseTheirOwnRates() {
    // flex: 100 x $0.4 + 250 x $4 = 40 + 1,000 = 1,040 -> $0.00104; batch: 100 x $0.5 + 250 x $5 =
    // 1,300 -> $0.0013
    assertEquals(
        0.00104,
        prices.cost("test-model", new Prices.Usage(100, 0, 50, 200), PriceTier.FLEX),
        1e-12);
    assertEquals(
        0.0013,
        prices.cost("test-model", new Prices.Usage(100, 0, 50, 200), PriceTier.BATCH),
        1e-12);
  }

  @Test
  void anUnknownModelOrTierHasNoCostRatherThanAGuess() {
    assertTrue(
        Double.isNaN(
            prices.cost("gemini-99-ultra", new Prices.Usage(10, 0, 10, 0), PriceTier.STANDARD)));
    assertTrue(
        Double.isNaN(prices.cost("no-flex-model", new Prices.Usage(10, 0, 10, 0), PriceTier.FLEX)));
    assertFalse(prices.knows("no-flex-model", PriceTier.FLEX));
    assertTrue(
        prices.knows("models/test-model", PriceTier.STANDARD),
        "the API's models/ prefix names the same model");
  }

  @Test
  void theBuiltInTableHasTheListedGeminiPrices() {
    Prices p = Prices.builtIn();
    // gemini-2.5-flash at $0.30 in / $2.50 out: 15 x 0.30 + (19 + 230) x 2.50 = 4.5 + 622.5 = 627
    // -> $0.000627
    assertEquals(
        0.000627,
        p.cost("gemini-2.5-flash", new Prices.Usage(15, 0, 19, 230), PriceTier.STANDARD),
        1e-12);
    // gemini-2.5-pro above 200k: 300,000 x $2.50 + 1,000 x $15 = 765,000 -> $0.765
    assertEquals(
        0.765,
        p.cost("gemini-2.5-pro", new Prices.Usage(300_000, 0, 1000, 0), PriceTier.STANDARD),
        1e-9);
    for (String m :
        new String[] {
          "gemini-2.5-pro", "gemini-2.5-flash", "gemini-2.5-flash-lite", "gemini-2.0-flash"
        }) {
      assertTrue(p.knows(m, PriceTier.STANDARD) && p.knows(m, PriceTier.BATCH), m);
      double std = p.cost(m, new Prices.Usage(1000, 0, 1000, 0), PriceTier.STANDARD);
      double batch = p.cost(m, new Prices.Usage(1000, 0, 1000, 0), PriceTier.BATCH);
      assertEquals(std / 2, batch, 1e-12, m + ": Batch Mode is half the standard price");
    }
  }

  @Test
  void aPricesFileAddsAndReplacesModelsOfTheBuiltInTable() throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("prices.json"),
            """
        {"models": {"gemini-2.5-flash": {"standard": {"input": 1, "output": 1, "cachedInput": 1}},
                    "my-tuned-model":   {"standard": {"input": 3, "output": 3, "cachedInput": 3}}}}""");
    Prices p = Prices.builtIn().with(file);
    // 1,000 in + 1,000 out at $1 = $0.002 (the built-in rate would give 0.3 + 2.5 = $0.0028)
    assertEquals(
        0.002,
        p.cost("gemini-2.5-flash", new Prices.Usage(1000, 0, 1000, 0), PriceTier.STANDARD),
        1e-12);
    assertEquals(
        0.006,
        p.cost("my-tuned-model", new Prices.Usage(1000, 0, 1000, 0), PriceTier.STANDARD),
        1e-12);
    assertTrue(
        p.knows("gemini-2.5-pro", PriceTier.STANDARD),
        "models the file does not name keep their built-in prices");
    assertFalse(
        p.knows("gemini-2.5-flash", PriceTier.BATCH),
        "a model in the file is replaced whole, not mixed with the old entry");
  }

  @Test
  void aBadPricesFileIsRefusedNamingTheFileAndTheField() throws Exception {
    assertBad(
        "{\"models\": {\"m\": {\"standard\": {\"input\": 1, \"cachedInput\": 1}}}}",
        "models.m.standard.output is missing");
    assertBad(
        "{\"models\": {\"m\": {\"standard\": {\"input\": -1, \"output\": 1, \"cachedInput\": 1}}}}",
        "models.m.standard.input must be a number >= 0");
    assertBad(
        "{\"models\": {\"m\": {\"standard\": {\"input\": \"0.3\", \"output\": 1, \"cachedInput\": 1}}}}",
        "models.m.standard.input must be a number");
    assertBad(
        "{\"models\": {\"m\": {\"flexx\": {\"input\": 1, \"output\": 1, \"cachedInput\": 1}}}}",
        "models.m has none of standard, batch, flex");
    assertBad(
        "{\"models\": {\"m\": {\"standard\": {\"input\": 1, \"output\": 1, \"cachedInput\": 1}, \"flexx\": {}}}}",
        "models.m.flexx is not a known field");
    assertBad(
        "{\"models\": {\"m\": {\"standard\": {\"input\": 1, \"output\": 1, \"cachedInput\": 1, \"longInput\": 2}}}}",
        "models.m.standard.longInput needs longContextAbove");
    assertBad(
        "{\"models\": {\"m\": {\"longContextAbove\": 5, \"standard\": {\"input\": 1, \"output\": 1, \"cachedInput\": 1}}}}",
        "models.m.standard.longInput is missing");
    assertBad("{\"models\": {}}", "models must be an object with at least one model");
    assertBad("{\"models\": {\"m\": ", "not valid JSON");
  }

  private void assertBad(String json, String expected) throws Exception {
    Path file = Files.writeString(dir.resolve("bad.json"), json);
    String m =
        assertThrows(IllegalArgumentException.class, () -> Prices.builtIn().with(file))
            .getMessage();
    assertTrue(m.contains("prices file " + file) && m.contains(expected), m);
  }
}
