package dev.gkr.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.genai.Client;
import com.google.genai.ResponseStream;
import com.google.genai.errors.ApiException;
import com.google.genai.types.GenerateContentResponse;
import com.google.genai.types.HttpOptions;
import com.google.genai.types.HttpRetryOptions;
import com.google.genai.types.Model;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The simulator beyond generateContent, through the official Java SDK, and its profile file. */
class SimulatorTest {
  @TempDir Path dir;

  static Client client(Simulator sim, String key) {
    return Client.builder()
        .apiKey(key)
        .httpOptions(
            HttpOptions.builder()
                .baseUrl(sim.baseUrl())
                .apiVersion("v1beta")
                .retryOptions(
                    HttpRetryOptions.builder().attempts(1).httpStatusCodes(List.of()).build())
                .build())
        .build();
  }

  @Test
  void streamsTheSameAnswerInSeveralChunks() {
    try (Simulator sim = Simulator.builder().start();
        Client c = client(sim, "stream-key-0001")) {
      StringBuilder text = new StringBuilder();
      int chunks = 0;
      String finish = "";
      try (ResponseStream<GenerateContentResponse> s =
          c.models.generateContentStream("gemini-2.5-flash", "stream this answer", null)) {
        for (GenerateContentResponse r : s) {
          text.append(r.text() == null ? "" : r.text());
          chunks++;
          finish = r.finishReason().toString();
        }
      }
      assertTrue(chunks >= 2, "chunks: " + chunks);
      assertEquals(Simulator.answerFor("stream this answer", "", null), text.toString());
      assertEquals("STOP", finish);
    }
  }

  @Test
  void countsTokensAndDescribesModels() {
    try (Simulator sim = Simulator.builder().start();
        Client c = client(sim, "models-key-0001")) {
      // Properties, not the simulator's own rule: countTokens agrees with the promptTokenCount that
      // generateContent reports for the same text, and four times the text is about four times the
      // tokens.
      String text = "count these words please";
      int n = c.models.countTokens("gemini-2.5-flash", text, null).totalTokens().orElseThrow();
      int billed =
          c.models
              .generateContent("gemini-2.5-flash", text, null)
              .usageMetadata()
              .orElseThrow()
              .promptTokenCount()
              .orElseThrow();
      int four =
          c.models
              .countTokens("gemini-2.5-flash", text.repeat(4), null)
              .totalTokens()
              .orElseThrow();
      assertTrue(n > 0, "no tokens for " + text);
      assertEquals(billed, n, "countTokens and generateContent disagree");
      assertTrue(
          four >= 3 * n && four <= 4 * n, n + " tokens, then " + four + " for four times the text");
      Model m = c.models.get("gemini-2.5-flash", null);
      assertEquals("models/gemini-2.5-flash", m.name().orElseThrow());
      ApiException missing =
          assertThrows(ApiException.class, () -> c.models.get("gemini-0-nonexistent", null));
      assertEquals(404, missing.code());
      assertTrue(
          sim.requests().stream().noneMatch(r -> r.outcome().equals("ok") && r.status() != 200));
    }
  }

  @Test
  void keyChecksApplyToEveryEndpoint() {
    try (Simulator sim = Simulator.builder().key("bad-key-0001", KeyBehavior.invalid()).start();
        Client c = client(sim, "bad-key-0001")) {
      assertEquals(
          400,
          assertThrows(
                  ApiException.class, () -> c.models.countTokens("gemini-2.5-flash", "x", null))
              .code());
      assertEquals(
          400,
          assertThrows(ApiException.class, () -> c.models.get("gemini-2.5-flash", null)).code());
    }
  }

  @Test
  void profileFileConfiguresKeysProjectsAndFaults() throws Exception {
    Path profile = dir.resolve("p.json");
    Files.writeString(
        profile,
        """
        {"keys": {"p-invalid-0001": "invalid", "p-late-0002": {"suspendedAfter": 1}},
         "projects": {"tiny": {"keys": ["p-a-0003", "p-b-0004"], "perWindow": 1, "window": "1m"}}}
        """);
    try (Simulator sim = Simulator.fromProfile(profile).start()) {
      assertEquals(
          400,
          assertThrows(
                  ApiException.class,
                  () ->
                      client(sim, "p-invalid-0001")
                          .models
                          .generateContent("gemini-2.5-flash", "x", null))
              .code());
      client(sim, "p-late-0002").models.generateContent("gemini-2.5-flash", "x", null);
      assertEquals(
          403,
          assertThrows(
                  ApiException.class,
                  () ->
                      client(sim, "p-late-0002")
                          .models
                          .generateContent("gemini-2.5-flash", "x", null))
              .code());
      client(sim, "p-a-0003").models.generateContent("gemini-2.5-flash", "x", null);
      assertEquals(
          429,
          assertThrows(
                  ApiException.class,
                  () ->
                      client(sim, "p-b-0004").models.generateContent("gemini-2.5-flash", "x", null))
              .code(),
          "the two keys of one project share its quota");
    }
  }

  @Test
  void profileMistakesNameTheFileAndField() throws Exception {
    Path bad = dir.resolve("bad.json");
    Files.writeString(bad, "{\"keys\": {\"k\": \"sleepy\"}}");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Simulator.fromProfile(bad));
    assertTrue(
        e.getMessage().startsWith(bad + ": keys.k: unknown behaviour 'sleepy'"), e.getMessage());
    Files.writeString(bad, "{\"latencyy\": {}}");
    assertEquals(
        bad + ": unknown field 'latencyy'",
        assertThrows(IllegalArgumentException.class, () -> Simulator.fromProfile(bad))
            .getMessage());
    Path sample = Path.of("samples/simulator-profile.json");
    try (Simulator sim = Simulator.fromProfile(sample).start()) {
      assertTrue(sim.port() > 0, "the sample profile must load");
    }
  }

  @Test
  void requestLogFileHasOneLinePerRequestAndNoWholeKey() throws Exception {
    Path log = dir.resolve("requests.jsonl");
    String key = "log-test-key-secret-9999";
    try (Simulator sim = Simulator.builder().logFile(log).start();
        Client c = client(sim, key)) {
      c.models.generateContent("gemini-2.5-flash", "one", null);
      c.models.generateContent("gemini-2.5-flash", "two", null);
    }
    List<String> lines = Files.readAllLines(log);
    assertEquals(2, lines.size());
    assertTrue(
        lines.get(0).contains("\"key\":\"…9999\"") && lines.get(0).contains("\"status\":200"),
        lines.get(0));
    assertFalse(Files.readString(log).contains(key));
  }
}
