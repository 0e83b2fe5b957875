package dev.gkr.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.genai.Client;
import com.google.genai.errors.ApiException;
import com.google.genai.types.CachedContent;
import com.google.genai.types.Content;
import com.google.genai.types.CreateCachedContentConfig;
import com.google.genai.types.GenerateContentConfig;
import com.google.genai.types.GenerateContentResponse;
import com.google.genai.types.Part;
import com.google.genai.types.UpdateCachedContentConfig;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Issue 28: the simulator's {@code cachedContents} over real HTTP through the java-genai SDK's
 * {@code client.caches}: create, get, list, patch (TTL), delete, per project, the minimum size, TTL
 * expiry on the simulator's clock, {@code cachedContentTokenCount}, and the 400 for a cache plus a
 * system instruction.
 */
class CachesApiTest {
  static final String A1 = "cache-key-a-0001", A2 = "cache-key-a-0002", B1 = "cache-key-b-0001";
  static final String MODEL = "gemini-2.5-flash";

  /** About 2,500 tokens of shared text: above 2.5 Flash's 1,024-token minimum. */
  static final String MANUAL = "The pump must be primed before each start. ".repeat(220);

  static CreateCachedContentConfig manual(Duration ttl) {
    return CreateCachedContentConfig.builder()
        .contents(Content.builder().role("user").parts(Part.fromText(MANUAL)).build())
        .displayName("gkr-test")
        .ttl(ttl)
        .build();
  }

  Simulator sim(AtomicLong clock) {
    Quota q = Quota.unlimited();
    return Simulator.builder()
        .clock(clock::get)
        .project("alpha", q, A1, A2)
        .project("beta", q, B1)
        .start();
  }

  @Test
  void aCacheIsCreatedReadListedExtendedAndDeletedWithinItsProject_issue28() {
    AtomicLong clock = new AtomicLong(0);
    try (Simulator sim = sim(clock);
        Client a1 = SimulatorTest.client(sim, A1);
        Client a2 = SimulatorTest.client(sim, A2);
        Client b1 = SimulatorTest.client(sim, B1)) {
      CachedContent c = a1.caches.create(MODEL, manual(Duration.ofMinutes(10)));
      String name = c.name().orElseThrow();
      assertTrue(name.startsWith("cachedContents/"), name);
      int tokens = c.usageMetadata().orElseThrow().totalTokenCount().orElseThrow();
      assertTrue(tokens > 1024, "tokens " + tokens);
      assertEquals(1, sim.caches().live());
      // Another key of the same project reads it; another project's key is refused as Gemini does.
      assertEquals(name, a2.caches.get(name, null).name().orElseThrow());
      ApiException other = assertThrows(ApiException.class, () -> b1.caches.get(name, null));
      assertEquals(403, other.code());
      int listed = 0;
      for (CachedContent x : a2.caches.list(null)) listed++;
      assertEquals(1, listed);
      // The TTL runs on the simulator's clock; a patch extends it.
      clock.set(Duration.ofMinutes(9).toNanos());
      a1.caches.update(
          name, UpdateCachedContentConfig.builder().ttl(Duration.ofMinutes(10)).build());
      clock.set(Duration.ofMinutes(15).toNanos());
      assertEquals(1, sim.caches().live(), "extended at minute 9 by 10 minutes");
      a1.caches.delete(name, null);
      assertEquals(0, sim.caches().live());
      assertEquals(403, assertThrows(ApiException.class, () -> a1.caches.get(name, null)).code());
    }
  }

  @Test
  void aCacheExpiresOnTheSimulatorsClock_issue28() {
    AtomicLong clock = new AtomicLong(0);
    try (Simulator sim = sim(clock);
        Client a1 = SimulatorTest.client(sim, A1)) {
      String name = a1.caches.create(MODEL, manual(Duration.ofMinutes(5))).name().orElseThrow();
      clock.set(Duration.ofMinutes(5).toNanos());
      assertEquals(0, sim.caches().live());
      assertEquals(403, assertThrows(ApiException.class, () -> a1.caches.get(name, null)).code());
    }
  }

  @Test
  void aCacheBelowTheModelsMinimumIsA400_issue28() {
    try (Simulator sim = sim(new AtomicLong());
        Client a1 = SimulatorTest.client(sim, A1)) {
      CreateCachedContentConfig small =
          CreateCachedContentConfig.builder()
              .contents(Content.builder().role("user").parts(Part.fromText("Too short.")).build())
              .build();
      ApiException e = assertThrows(ApiException.class, () -> a1.caches.create(MODEL, small));
      assertEquals(400, e.code());
      assertTrue(e.getMessage().contains("min_total_token_count=1024"), e.getMessage());
      assertEquals(0, sim.caches().live());
    }
  }

  @Test
  void aRequestNamingTheCacheReportsItsTokensAsCachedAndRefusesASystemInstruction_issue28() {
    try (Simulator sim = sim(new AtomicLong());
        Client a1 = SimulatorTest.client(sim, A1);
        Client b1 = SimulatorTest.client(sim, B1)) {
      CachedContent c = a1.caches.create(MODEL, manual(Duration.ofHours(1)));
      String name = c.name().orElseThrow();
      int tokens = c.usageMetadata().orElseThrow().totalTokenCount().orElseThrow();
      GenerateContentResponse plain = a1.models.generateContent(MODEL, "How to start?", null);
      GenerateContentResponse r =
          a1.models.generateContent(
              MODEL, "How to start?", GenerateContentConfig.builder().cachedContent(name).build());
      var u = r.usageMetadata().orElseThrow();
      assertEquals(tokens, u.cachedContentTokenCount().orElseThrow());
      assertEquals(
          plain.usageMetadata().orElseThrow().promptTokenCount().orElseThrow() + tokens,
          u.promptTokenCount().orElseThrow());
      GenerateContentConfig withSystem =
          GenerateContentConfig.builder()
              .cachedContent(name)
              .systemInstruction(Content.fromParts(Part.fromText("Be brief.")))
              .build();
      ApiException both =
          assertThrows(
              ApiException.class, () -> a1.models.generateContent(MODEL, "Hi", withSystem));
      assertEquals(400, both.code());
      assertTrue(both.getMessage().contains("system_instruction"), both.getMessage());
      GenerateContentConfig theirs = GenerateContentConfig.builder().cachedContent(name).build();
      assertEquals(
          403,
          assertThrows(ApiException.class, () -> b1.models.generateContent(MODEL, "Hi", theirs))
              .code());
    }
  }
}
