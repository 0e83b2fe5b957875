package dev.gkr.internal.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The arithmetic of {@code --cache auto}, by hand on the built-in gemini-2.5-flash prices. */
class CacheChoiceTest {
  static final Prices PRICES = Prices.builtIn();

  private static CacheChoice auto(long tokens, long requests, Duration ttl) {
    return CacheChoice.decide(
        CacheMode.AUTO, PRICES, "gemini-2.5-flash", PriceTier.STANDARD, "a", tokens, requests, ttl);
  }

  @Test
  void autoCachesWhenTheCachedRateSavesMoreThanTheStorageCosts_issue28() {
    // 50,000 tokens at 0.30 inline vs 0.03 cached: 0.0135 USD saved per request; storage 1.00 per
    // million per hour: 0.05 USD for the hour. Four requests save 0.054 > 0.05; three save 0.0405.
    CacheChoice four = auto(50_000, 4, Duration.ofHours(1));
    assertTrue(four.cached(), four.text());
    assertEquals(4 * 50_000 * 0.27 / 1e6, four.savingUsd(), 1e-12);
    assertEquals(50_000 * 1.00 / 1e6, four.storageUsd(), 1e-12);
    assertEquals("project a cached (saves about $0.004000)", four.text());
    CacheChoice three = auto(50_000, 3, Duration.ofHours(1));
    assertFalse(three.cached());
    assertEquals(
        "project a inline (storage $0.050000 would cost more than the $0.040500 it saves)",
        three.text());
    // The same three requests within half an hour: storage 0.025 < 0.0405.
    assertTrue(auto(50_000, 3, Duration.ofMinutes(30)).cached());
  }

  @Test
  void autoNeverCachesBelowTheModelsMinimumButOnTriesAndOffNever_issue28() {
    CacheChoice small = auto(1_000, 10_000, Duration.ofMinutes(10));
    assertFalse(small.cached());
    assertEquals("project a inline (below the minimum of 1,024 tokens)", small.text());
    CacheChoice on =
        CacheChoice.decide(
            CacheMode.ON,
            PRICES,
            "gemini-2.5-flash",
            PriceTier.STANDARD,
            "a",
            1_000,
            1,
            Duration.ofHours(1));
    assertTrue(on.cached(), "on lets the API's 400 decide");
    CacheChoice off =
        CacheChoice.decide(
            CacheMode.OFF,
            PRICES,
            "gemini-2.5-flash",
            PriceTier.STANDARD,
            "a",
            50_000,
            10_000,
            Duration.ofHours(1));
    assertFalse(off.cached());
    assertEquals("project a inline (--cache off)", off.text());
    assertEquals(4096, CacheSizes.minimumTokens("models/gemini-3-pro-preview"));
    assertEquals(2048, CacheSizes.minimumTokens("gemini-2.5-pro"));
  }

  @Test
  void aModelWithoutAStoragePriceIsNeverCachedByAuto_issue28() {
    Prices mine =
        Prices.builtIn()
            .with(
                "{\"models\":{\"my-model\":{\"standard\":{\"input\":1,\"output\":1,\"cachedInput\":0.1}}}}",
                "mine");
    CacheChoice c =
        CacheChoice.decide(
            CacheMode.AUTO,
            mine,
            "my-model",
            PriceTier.STANDARD,
            "a",
            50_000,
            1_000,
            Duration.ofHours(1));
    assertFalse(c.cached());
    assertEquals("project a inline (no cache storage price for my-model)", c.text());
  }

  @Test
  void aBadStoragePriceIsNamed_issue28() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                Prices.builtIn()
                    .with(
                        "{\"models\":{\"m\":{\"cacheStorage\":\"cheap\",\"standard\":"
                            + "{\"input\":1,\"output\":1,\"cachedInput\":0.1}}}}",
                        "mine"));
    assertEquals(
        "mine: models.m.cacheStorage must be a number >= 0 (USD per 1M tokens per hour)",
        e.getMessage());
    assertEquals(1.00, PRICES.cacheStorage("gemini-2.5-flash"));
    assertEquals(4.50, PRICES.cacheStorage("models/gemini-2.5-pro"));
  }

  @Test
  void aBadModeNamesTheValue_issue28() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> CacheMode.of("sometimes"));
    assertEquals("contextCache must be off, auto or on, was 'sometimes'", e.getMessage());
  }
}
