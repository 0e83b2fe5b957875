package dev.gkr.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/**
 * Issue 19: what the simulator reports for billing, on the wire as the REST API (camelCase and
 * snake_case).
 */
class SimulatorBillingTest {
  static JsonNode post(Simulator sim, String body, int expectedStatus) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(
                            sim.baseUrl() + "/v1beta/models/gemini-2.5-flash:generateContent"))
                    .header("x-goog-api-key", "billing-key-0001")
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertEquals(expectedStatus, r.statusCode(), r.body());
    return SimJson.MAPPER.readTree(r.body());
  }

  static final String PROMPT =
      "{\"contents\": [{\"role\": \"user\", \"parts\": [{\"text\": \"Name a river\"}]}]";

  @Test
  void theTierAskedForIsReportedAsTrafficTypeInEitherSpelling() throws Exception {
    try (Simulator sim = Simulator.builder().start()) {
      assertEquals(
          "ON_DEMAND_FLEX",
          post(sim, PROMPT + ", \"serviceTier\": \"flex\"}", 200)
              .path("usageMetadata")
              .path("trafficType")
              .asText());
      assertEquals(
          "ON_DEMAND_FLEX",
          post(sim, PROMPT + ", \"service_tier\": \"FLEX\"}", 200)
              .path("usageMetadata")
              .path("trafficType")
              .asText());
      assertEquals(
          "ON_DEMAND",
          post(sim, PROMPT + ", \"serviceTier\": \"standard\"}", 200)
              .path("usageMetadata")
              .path("trafficType")
              .asText());
      assertFalse(
          post(sim, PROMPT + "}", 200).path("usageMetadata").has("trafficType"),
          "no tier asked, none reported");
      JsonNode bad = post(sim, PROMPT + ", \"serviceTier\": \"turbo\"}", 400);
      assertTrue(
          bad.path("error").path("message").asText().contains("service_tier"), bad.toString());
    }
  }

  @Test
  void aLongSystemInstructionIsCachedAndCachedTokensArePartOfThePrompt() throws Exception {
    String system = "x".repeat(4 * Billing.CACHE_MIN_TOKENS); // exactly 1,024 tokens
    try (Simulator sim = Simulator.builder().start()) {
      JsonNode u =
          post(
                  sim,
                  PROMPT
                      + ", \"systemInstruction\": {\"parts\": [{\"text\": \""
                      + system
                      + "\"}]}}",
                  200)
              .path("usageMetadata");
      assertEquals(1024, u.path("cachedContentTokenCount").asInt());
      assertEquals(
          1024 + 3,
          u.path("promptTokenCount").asInt(),
          "the 12-byte prompt's 3 tokens and the cached 1,024");
      assertEquals(
          u.path("promptTokenCount").asInt()
              + u.path("candidatesTokenCount").asInt()
              + u.path("thoughtsTokenCount").asInt(),
          u.path("totalTokenCount").asInt(),
          "cached tokens are not added again");
      JsonNode shorter =
          post(
              sim,
              PROMPT
                  + ", \"systemInstruction\": {\"parts\": [{\"text\": \""
                  + system.substring(4)
                  + "\"}]}}",
              200);
      assertFalse(
          shorter.path("usageMetadata").has("cachedContentTokenCount"),
          "1,023 tokens are below the simulator's cache minimum");
    }
  }
}
