package dev.gkr.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every way the simulator answers a Gemini method is logged once, with the status it sent, an
 * outcome, the model and what was asked, and the key masked; and the fault bodies reach the wire as
 * the API sends them. Raw HTTP, so the status and body are the simulator's own.
 */
class SimulatorRequestLogTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String KEY = "log-test-key-7781";
  private static final String MODEL = "gemini-2.5-flash";
  private final HttpClient http = HttpClient.newHttpClient();

  private HttpResponse<String> post(Simulator sim, String method, String key, String body)
      throws Exception {
    HttpRequest req =
        HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/v1beta/models/" + MODEL + ":" + method))
            .header("x-goog-api-key", key)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    return http.send(req, HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(Simulator sim, String path, String key) throws Exception {
    HttpRequest req =
        HttpRequest.newBuilder(URI.create(sim.baseUrl() + path))
            .header("x-goog-api-key", key)
            .GET()
            .build();
    return http.send(req, HttpResponse.BodyHandlers.ofString());
  }

  private static String prompt(String text) {
    return "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"" + text + "\"}]}]}";
  }

  @Test
  void logsEachRefusalWithItsStatusOutcomeAndWhatWasAsked() throws Exception {
    try (Simulator sim =
        Simulator.builder()
            .missingModel("gemini-gone")
            .key("log-bad-key-0001", KeyBehavior.invalid())
            .start()) {
      HttpResponse<String> bad = post(sim, "generateContent", KEY, "{not json");
      HttpResponse<String> refused = post(sim, "generateContent", "log-bad-key-0001", prompt("hi"));
      HttpRequest gone =
          HttpRequest.newBuilder(
                  URI.create(sim.baseUrl() + "/v1beta/models/gemini-gone:generateContent"))
              .header("x-goog-api-key", KEY)
              .POST(HttpRequest.BodyPublishers.ofString(prompt("where")))
              .build();
      HttpResponse<String> missing = http.send(gone, HttpResponse.BodyHandlers.ofString());
      HttpResponse<String> modelsRefused = get(sim, "/v1beta/models/" + MODEL, "log-bad-key-0001");
      HttpResponse<String> model = get(sim, "/v1beta/models/" + MODEL, KEY);

      assertEquals(
          List.of(400, 400, 404, 400, 200),
          List.of(
              bad.statusCode(),
              refused.statusCode(),
              missing.statusCode(),
              modelsRefused.statusCode(),
              model.statusCode()));
      List<SimRequest> log = sim.requests();
      assertEquals(
          List.of("bad_request", "key_invalid", "not_found", "key_invalid", "ok"),
          log.stream().map(SimRequest::outcome).toList());
      assertEquals(List.of(400, 400, 404, 400, 200), log.stream().map(SimRequest::status).toList());
      assertEquals(
          List.of(MODEL, MODEL, "gemini-gone", "", MODEL),
          log.stream().map(SimRequest::model).toList());
      assertEquals(
          List.of("", "hi", "where", "", ""), log.stream().map(SimRequest::prompt).toList());
      assertEquals(
          List.of("…7781", "…0001", "…7781", "…0001", "…7781"),
          log.stream().map(SimRequest::key).toList());
      SimRequest unread = log.get(0);
      assertTrue(unread.generationConfig().isEmpty() && unread.safetySettings().isEmpty());
      assertEquals("", unread.system());
      assertTrue(unread.parts().isEmpty());
    }
  }

  @Test
  void logsAnAnswerWithTheSettingsItReceived() throws Exception {
    try (Simulator sim = Simulator.builder().start()) {
      String body =
          "{\"systemInstruction\":{\"parts\":[{\"text\":\"be brief\"}]},"
              + "\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"settings\"}]}],"
              + "\"generation_config\":{\"max_output_tokens\":64}}";
      HttpResponse<String> ok = post(sim, "generateContent", KEY, body);
      HttpResponse<String> counted = post(sim, "countTokens", KEY, body);

      assertEquals(200, ok.statusCode());
      assertEquals(200, counted.statusCode());
      for (SimRequest r : sim.requests()) {
        assertEquals("ok", r.outcome());
        assertEquals("settings", r.prompt());
        assertEquals("be brief", r.system());
        assertEquals(64, r.generationConfig().path("maxOutputTokens").asInt());
      }
      assertEquals(2, sim.requests().size());
    }
  }

  @Test
  void sendsFaultsAsTheApiDoesAndLogsThem() throws Exception {
    try (Simulator sim = Simulator.builder().start()) {
      HttpResponse<String> internal = post(sim, "generateContent", KEY, prompt("x [[sim:500]]"));
      HttpResponse<String> badRequest =
          post(sim, "generateContent", KEY, prompt("x [[sim:bad-request]]"));
      HttpResponse<String> safety = post(sim, "generateContent", KEY, prompt("x [[sim:safety]]"));
      HttpResponse<String> proxy = post(sim, "generateContent", KEY, prompt("x [[sim:html502]]"));
      assertThrows(
          IOException.class, () -> post(sim, "generateContent", KEY, prompt("x [[sim:reset]]")));

      JsonNode err = JSON.readTree(internal.body()).path("error");
      assertEquals(500, internal.statusCode());
      assertEquals("INTERNAL", err.path("status").asText());
      assertEquals(Fault.INTERNAL.message, err.path("message").asText());
      assertEquals(400, badRequest.statusCode());
      assertEquals(
          "INVALID_ARGUMENT",
          JSON.readTree(badRequest.body()).path("error").path("status").asText());
      assertEquals(200, safety.statusCode());
      assertEquals(
          "SAFETY",
          JSON.readTree(safety.body()).path("promptFeedback").path("blockReason").asText());
      assertEquals(502, proxy.statusCode());
      assertTrue(proxy.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
      assertTrue(proxy.body().contains("502 Bad Gateway"), proxy.body());

      List<SimRequest> log = sim.requests();
      assertEquals(
          List.of("internal", "bad_request", "safety_block", "html_502", "connection_reset"),
          log.stream().map(SimRequest::outcome).toList());
      assertEquals(List.of(500, 400, 200, 502, 0), log.stream().map(SimRequest::status).toList());
    }
  }
}
