package dev.gkr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gkr.internal.config.Settings;
import dev.gkr.internal.request.TaskRequest;
import dev.gkr.internal.request.TaskRequests;
import dev.gkr.internal.store.TaskHash;
import dev.gkr.sim.SimRequest;
import dev.gkr.sim.Simulator;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

/**
 * Issue 16: every generation setting reaches the wire; truncation, blocks, thinking tokens, the
 * resume hash.
 */
class RequestSurfaceTest {
  @TempDir Path dir;

  static Rotator rotator(Simulator sim) {
    return Rotator.keys("surface-key-0001").baseUrl(sim.baseUrl());
  }

  @Test
  void eachGenerationSettingReachesTheWire() {
    try (Simulator sim = Simulator.builder().start()) {
      rotator(sim)
          .generation(
              Generation.builder()
                  .maxOutputTokens(900)
                  .topP(0.9)
                  .topK(40)
                  .seed(7)
                  .stopSequences("END", "STOP!")
                  .thinkingBudget(64)
                  .safety("HARASSMENT", "block_only_high")
                  .safety("HARM_CATEGORY_HATE_SPEECH", "BLOCK_NONE")
                  .config("{\"presencePenalty\": 0.5, \"response_logprobs\": false}")
                  .build())
          .temperature(0.3)
          .run(List.of("Describe the tides"));
      SimRequest r = sim.requests().get(0);
      JsonNode g = r.generationConfig();
      assertEquals(900, g.path("maxOutputTokens").asInt(), g.toString());
      assertEquals(0.9, g.path("topP").asDouble(), 1e-6);
      assertEquals(40, g.path("topK").asInt());
      assertEquals(7, g.path("seed").asInt());
      assertEquals("[\"END\",\"STOP!\"]", g.path("stopSequences").toString());
      assertEquals(64, g.path("thinkingConfig").path("thinkingBudget").asInt());
      assertFalse(g.path("thinkingConfig").has("thinkingLevel"));
      assertEquals(0.3, g.path("temperature").asDouble(), 1e-6);
      assertEquals(0.5, g.path("presencePenalty").asDouble(), 1e-6);
      assertTrue(
          g.has("responseLogprobs"), "a snake_case field of --config reaches the wire: " + g);
      assertEquals(2, r.safetySettings().size());
      assertEquals("HARM_CATEGORY_HARASSMENT", r.safetySettings().get(0).path("category").asText());
      assertEquals("BLOCK_ONLY_HIGH", r.safetySettings().get(0).path("threshold").asText());
      assertEquals(
          "HARM_CATEGORY_HATE_SPEECH", r.safetySettings().get(1).path("category").asText());
      assertEquals("BLOCK_NONE", r.safetySettings().get(1).path("threshold").asText());
    }
  }

  @Test
  void thinkingLevelReachesTheWireAsTheApiEnum() {
    try (Simulator sim = Simulator.builder().start()) {
      Table t =
          rotator(sim)
              .model("gemini-3-flash-preview")
              .generation(Generation.builder().thinkingLevel("Low").build())
              .run(List.of("Think a little"));
      assertEquals(
          "LOW",
          sim.requests()
              .get(0)
              .generationConfig()
              .path("thinkingConfig")
              .path("thinkingLevel")
              .asText());
      assertTrue(t.booleanColumn("success").get(0), t.stringColumn("error").get(0));
    }
  }

  @Test
  void explicitSettingsWinOverConfig() {
    try (Simulator sim = Simulator.builder().start()) {
      rotator(sim)
          .generation(
              Generation.builder()
                  .config(
                      "{\"maxOutputTokens\": 10, \"topK\": 3, \"thinkingConfig\": {\"includeThoughts\": false}}")
                  .maxOutputTokens(900)
                  .thinkingBudget(0)
                  .build())
          .run(List.of("Which wins?"));
      JsonNode g = sim.requests().get(0).generationConfig();
      assertEquals(900, g.path("maxOutputTokens").asInt(), "the explicit setting wins");
      assertEquals(3, g.path("topK").asInt(), "config fields not set explicitly stay");
      assertEquals(0, g.path("thinkingConfig").path("thinkingBudget").asInt(-1));
      assertTrue(
          g.path("thinkingConfig").has("includeThoughts"),
          "thinkingConfig merges field by field: " + g);
    }
  }

  @Test
  void unknownOrMistypedConfigFieldsAreRefusedByName() {
    Rotator r = Rotator.keys("k");
    assertTrue(
        assertThrows(
                IllegalArgumentException.class,
                () -> r.generation(Generation.builder().config("{\"maxOutputToken\": 5}").build()))
            .getMessage()
            .contains("'maxOutputToken'"));
    assertTrue(
        assertThrows(
                IllegalArgumentException.class,
                () ->
                    r.generation(
                        Generation.builder()
                            .config("{\"thinkingConfig\": {\"thinkingBudgett\": 5}}")
                            .build()))
            .getMessage()
            .contains("'thinkingConfig.thinkingBudgett'"));
    assertTrue(
        assertThrows(
                IllegalArgumentException.class,
                () ->
                    r.generation(
                        Generation.builder().config("{\"maxOutputTokens\": \"lots\"}").build()))
            .getMessage()
            .contains("'maxOutputTokens'"));
    assertTrue(
        assertThrows(
                IllegalArgumentException.class,
                () -> r.generation(Generation.builder().config("{\"safetySettings\": []}").build()))
            .getMessage()
            .contains("--safety"));
    assertTrue(
        assertThrows(
                IllegalArgumentException.class,
                () -> r.generation(Generation.builder().config("{\"topK\": 3,}").build()))
            .getMessage()
            .contains("line 1, column"));
    assertTrue(
        assertThrows(
                IllegalArgumentException.class,
                () -> r.generation(Generation.builder().config("{\"candidateCount\": 2}").build()))
            .getMessage()
            .contains("candidateCount"));
    assertTrue(
        assertThrows(
                IllegalArgumentException.class,
                () -> r.generation(Generation.builder().config("{\"seed\": 1.5}").build()))
            .getMessage()
            .contains("'seed' must be an integer"));
    assertTrue(
        assertThrows(
                IllegalArgumentException.class,
                () -> r.generation(Generation.builder().config("{\"temperature\": null}").build()))
            .getMessage()
            .contains("'temperature' is null"));
    assertTrue(
        assertThrows(
                IllegalArgumentException.class,
                () ->
                    r.generation(
                        Generation.builder().config("{\"top_k\": 1, \"topK\": 2}").build()))
            .getMessage()
            .contains("given twice"));
    // everything Google documents for generationConfig is accepted, nested objects and enums
    // included
    r.generation(
        Generation.builder()
            .config(
                "{\"responseModalities\": [\"TEXT\"], \"mediaResolution\": \"MEDIA_RESOLUTION_LOW\", \"frequencyPenalty\": 0.1, "
                    + "\"speechConfig\": {\"voiceConfig\": {\"prebuiltVoiceConfig\": {\"voiceName\": \"Kore\"}}}, \"logprobs\": 3, "
                    + "\"responseLogprobs\": true, \"imageConfig\": {\"aspectRatio\": \"16:9\"}, \"enableEnhancedCivicAnswers\": true, "
                    + "\"responseSchema\": {\"type\": \"OBJECT\", \"properties\": {\"a\": {\"type\": \"STRING\"}}}, "
                    + "\"thinkingConfig\": {\"includeThoughts\": true, \"thinkingBudget\": -1}}")
            .build());
    assertThrows(
        IllegalArgumentException.class,
        () ->
            r.generation(Generation.builder().safety("HARM_CATEGORY_NOPE", "BLOCK_NONE").build()));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            r.generation(
                Generation.builder().safety("HARM_CATEGORY_JAILBREAK", "BLOCK_NONE").build()),
        "Vertex-only: the API would 400 every request");
    assertThrows(
        IllegalArgumentException.class,
        () -> r.generation(Generation.builder().safety("HARASSMENT", "BLOCK_SOME").build()));
    assertThrows(
        IllegalArgumentException.class,
        () -> r.generation(Generation.builder().thinkingLevel("extreme").build()));
    assertThrows(
        IllegalArgumentException.class, () -> r.generation(Generation.builder().topP(1.5).build()));
    assertThrows(
        IllegalArgumentException.class,
        () -> r.generation(Generation.builder().maxOutputTokens(0).build()));
  }

  @Test
  void bothThinkingSettingsAreRefusedBeforeAnyRequest() {
    assertThrows(
        IllegalArgumentException.class,
        () ->
            Rotator.keys("k")
                .generation(Generation.builder().thinkingBudget(10).thinkingLevel("low").build()));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            Rotator.keys("k")
                .generation(
                    Generation.builder()
                        .config(
                            "{\"thinkingConfig\": {\"thinkingBudget\": 1, \"thinkingLevel\": \"low\"}}")
                        .build()));
    try (Simulator sim = Simulator.builder().start()) {
      Rotator r =
          rotator(sim)
              .generation(
                  Generation.builder()
                      .config("{\"thinkingConfig\": {\"thinkingLevel\": \"high\"}}")
                      .thinkingBudget(100)
                      .build());
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> r.run(List.of("never sent")));
      assertTrue(e.getMessage().contains("thinkingBudget and thinkingLevel"), e.getMessage());
      assertEquals(0, sim.requests().size());
    }
  }

  @Test
  void simulatorAnswers400WhenBothThinkingSettingsArriveAnyway() throws Exception {
    try (Simulator sim = Simulator.builder().start()) {
      var http = java.net.http.HttpClient.newHttpClient();
      var req =
          java.net.http.HttpRequest.newBuilder(
                  java.net.URI.create(
                      sim.baseUrl() + "/v1beta/models/gemini-2.5-flash:generateContent"))
              .header("x-goog-api-key", "raw-key-0001")
              .POST(
                  java.net.http.HttpRequest.BodyPublishers.ofString(
                      "{\"contents\":[{\"parts\":[{\"text\":\"hi\"}]}],\"generation_config\":{\"thinking_config\":{\"thinking_budget\":5,\"thinking_level\":\"LOW\"}}}"))
              .build();
      var resp = http.send(req, java.net.http.HttpResponse.BodyHandlers.ofString());
      assertEquals(400, resp.statusCode());
      assertTrue(resp.body().contains("INVALID_ARGUMENT"), resp.body());
    }
  }

  @Test
  void thinkingTokensAndTheNewColumnsComeFromTheAnswer() {
    try (Simulator sim = Simulator.builder().start()) {
      Table budget =
          rotator(sim)
              .generation(Generation.builder().thinkingBudget(100).build())
              .run(List.of("Think about tides"));
      assertEquals(100, budget.intColumn("thoughts_tokens").get(0));
      int prompt = budget.intColumn("prompt_tokens").get(0);
      int output = budget.intColumn("output_tokens").get(0);
      assertEquals(prompt + output + 100, budget.intColumn("total_tokens").get(0));
      assertEquals(0, budget.intColumn("cached_tokens").get(0));
      assertEquals("gemini-2.5-flash", budget.stringColumn("model_version").get(0));
      Table off =
          rotator(sim)
              .generation(Generation.builder().thinkingBudget(0).build())
              .run(List.of("Do not think"));
      assertEquals(0, off.intColumn("thoughts_tokens").get(0));
    }
  }

  @Test
  void cutOffJsonAnswerIsTruncatedErrorUsingRetriesAndSaysWhereTokensWent() {
    try (Simulator sim = Simulator.builder().start()) {
      Table t =
          rotator(sim)
              .json()
              .retries(Retries.builder().maxRetries(2).build())
              .generation(Generation.builder().thinkingBudget(40).maxOutputTokens(45).build())
              .run(List.of("Give me a long JSON object"));
      assertFalse(t.booleanColumn("success").get(0));
      assertEquals("truncated", t.stringColumn("error_type").get(0));
      assertEquals(3, t.intColumn("attempts").get(0), "a truncated answer uses the task's retries");
      assertTrue(
          t.stringColumn("error").get(0).contains("40 thinking tokens"),
          t.stringColumn("error").get(0));
      assertFalse(
          t.stringColumn("response").get(0).isEmpty(), "the cut-off text is kept for inspection");
    }
  }

  @Test
  void acceptTruncatedKeepsCutOffJsonAnswers() {
    try (Simulator sim = Simulator.builder().start()) {
      Table t =
          rotator(sim)
              .json()
              .generation(
                  Generation.builder()
                      .thinkingBudget(0)
                      .maxOutputTokens(5) // 20 bytes: the answer is cut inside its first string
                      .acceptTruncated(true)
                      .build())
              .run(List.of("Give me a long JSON object"));
      assertTrue(
          t.booleanColumn("success").get(0),
          "kept, not refused: "
              + t.stringColumn("response").get(0)
              + " "
              + t.stringColumn("error_type").get(0)
              + " "
              + t.stringColumn("error").get(0));
      assertEquals("MAX_TOKENS", t.stringColumn("finish_reason").get(0));
      assertFalse(
          t.stringColumn("json").get(0).isEmpty(), "the repaired value is in the json column");
      assertEquals(1, sim.requests().size());
    }
  }

  @Test
  void cutOffTextAnswerSucceedsAndTheSummaryCountsIt() {
    try (Simulator sim = Simulator.builder().start()) {
      Rotator r =
          rotator(sim)
              .generation(Generation.builder().thinkingBudget(0).maxOutputTokens(5).build());
      Table t =
          r.run(
              List.of(
                  "A long question about the moon and the tides and the sea",
                  "Another long question about rivers"));
      for (int i = 0; i < 2; i++) {
        assertTrue(t.booleanColumn("success").get(i));
        assertEquals("MAX_TOKENS", t.stringColumn("finish_reason").get(i));
        String full = Simulator.answerFor(t.stringColumn("prompt").get(i), "", null);
        String got = t.stringColumn("response").get(i);
        assertTrue(full.startsWith(got) && got.length() < full.length(), got);
      }
      assertEquals(2, r.stats().truncated());
      assertTrue(r.stats().print().contains("2 truncated"), r.stats().print());
    }
  }

  @Test
  void emptyAnswerBecauseThinkingAteTheLimitIsTruncated() {
    try (Simulator sim = Simulator.builder().start()) {
      Table t =
          rotator(sim)
              .retries(Retries.builder().maxRetries(0).build())
              .generation(Generation.builder().thinkingBudget(500).maxOutputTokens(50).build())
              .run(List.of("Think hard"));
      assertEquals("truncated", t.stringColumn("error_type").get(0));
      assertTrue(
          t.stringColumn("error").get(0).contains("50 thinking tokens"),
          t.stringColumn("error").get(0));
    }
  }

  @Test
  void blockedPromptAndBlockedAnswerAreToldApart() {
    try (Simulator sim = Simulator.builder().start()) {
      Table t =
          rotator(sim)
              .retries(Retries.builder().maxRetries(0).build())
              .run(
                  List.of(
                      "bad [[sim:safety]]", "risky [[sim:unsafe]]", "quote [[sim:recitation]]"));
      assertEquals(
          List.of("prompt_blocked", "answer_blocked", "answer_blocked"),
          t.stringColumn("error_type").asList());
      Table allowed =
          rotator(sim)
              .generation(
                  Generation.builder().safety("DANGEROUS_CONTENT", "BLOCK_ONLY_HIGH").build())
              .run(List.of("risky [[sim:unsafe]]"));
      assertTrue(
          allowed.booleanColumn("success").get(0),
          "the safety setting reached the simulator and let the answer through");
    }
  }

  @Test
  void sameSeedSameAnswerOtherSeedOtherAnswer() {
    try (Simulator sim = Simulator.builder().start()) {
      String a =
          rotator(sim)
              .generation(Generation.builder().seed(7).build())
              .run(List.of("Pick a colour"))
              .stringColumn("response")
              .get(0);
      String b =
          rotator(sim)
              .generation(Generation.builder().seed(7).build())
              .run(List.of("Pick a colour"))
              .stringColumn("response")
              .get(0);
      String c =
          rotator(sim)
              .generation(Generation.builder().seed(8).build())
              .run(List.of("Pick a colour"))
              .stringColumn("response")
              .get(0);
      assertEquals(a, b);
      assertNotEquals(a, c);
    }
  }

  @Test
  void stopSequenceEndsTheAnswer() {
    try (Simulator sim = Simulator.builder().start()) {
      String got =
          rotator(sim)
              .generation(Generation.builder().stopSequences("HALT").build())
              .run(List.of("one two HALT three"))
              .stringColumn("response")
              .get(0);
      String full = Simulator.answerFor("one two HALT three", "", null);
      assertEquals(full.substring(0, full.indexOf("HALT")), got);
    }
  }

  @Test
  void changedSettingsRedoTasksOnResumeAndUnchangedOnesDoNot() {
    Path cp = dir.resolve("cp.jsonl");
    List<String> prompts = List.of("first", "second");
    try (Simulator sim = Simulator.builder().start()) {
      rotator(sim)
          .checkpoint(cp)
          .generation(
              Generation.builder().maxOutputTokens(500).safety("HARASSMENT", "BLOCK_NONE").build())
          .run(prompts);
      assertEquals(2, sim.requests().size());
      rotator(sim)
          .checkpoint(cp)
          .generation(
              Generation.builder().maxOutputTokens(500).safety("HARASSMENT", "BLOCK_NONE").build())
          .run(prompts);
      assertEquals(2, sim.requests().size(), "same settings: nothing is sent again");
      rotator(sim)
          .checkpoint(cp)
          .generation(
              Generation.builder().maxOutputTokens(600).safety("HARASSMENT", "BLOCK_NONE").build())
          .run(prompts);
      assertEquals(4, sim.requests().size(), "another maxOutputTokens: both redone");
      rotator(sim)
          .checkpoint(cp)
          .generation(
              Generation.builder()
                  .maxOutputTokens(600)
                  .safety("HARASSMENT", "BLOCK_ONLY_HIGH")
                  .build())
          .run(prompts);
      assertEquals(6, sim.requests().size(), "another safety threshold: both redone");
      rotator(sim)
          .checkpoint(cp)
          .generation(
              Generation.builder()
                  .maxOutputTokens(600)
                  .safety("HARASSMENT", "BLOCK_ONLY_HIGH")
                  .config("{\"presencePenalty\": 0.2}")
                  .build())
          .run(prompts);
      assertEquals(8, sim.requests().size(), "a --config field: both redone");
    }
  }

  @Test
  void withoutNewSettingsTheHashIsTheOneEarlierCheckpointsHold() {
    Settings s = Rotator.keys("k").systemInstruction("sys").temperature(0.5).settings();
    Task t = Task.of("1", "prompt");
    TaskRequest[] r = TaskRequests.prepare(s, List.of(t));
    assertEquals("", r[0].hashExtra());
    assertEquals(TaskHash.of(s, t), TaskHash.ofAll(s, List.of(t), i -> r[i].hashExtra())[0]);
    Settings withSeed =
        Rotator.keys("k")
            .systemInstruction("sys")
            .temperature(0.5)
            .generation(Generation.builder().seed(1).build())
            .settings();
    assertNotEquals(
        TaskHash.of(s, t),
        TaskHash.ofAll(
            withSeed, List.of(t), i -> TaskRequests.prepare(withSeed, List.of(t))[i].hashExtra())[
            0]);
  }

  @Test
  void perTaskSystemAndConfigOverrideTheBatchOnTheWire() {
    try (Simulator sim = Simulator.builder().start()) {
      List<Map<String, Object>> tasks =
          List.of(
              Map.of("id", "plain", "prompt", "Batch settings"),
              Map.of(
                  "id",
                  "own",
                  "prompt",
                  "Own settings",
                  "system",
                  "Answer in French.",
                  "config",
                  "{\"maxOutputTokens\": 777, \"topK\": 5}"),
              Map.of(
                  "id",
                  "map",
                  "prompt",
                  "Config as a map",
                  "config",
                  Map.of("thinking_config", Map.of("thinking_budget", 0))));
      Table t =
          rotator(sim)
              .slots(1)
              .systemInstruction("Be terse.")
              .generation(Generation.builder().maxOutputTokens(300).topP(0.5).build())
              .run(tasks);
      assertEquals(
          3, t.booleanColumn("success").countTrue(), t.stringColumn("error").asList().toString());
      Map<String, SimRequest> byPrompt = new java.util.HashMap<>();
      for (SimRequest r : sim.requests()) byPrompt.put(r.prompt(), r);
      assertEquals("Be terse.", byPrompt.get("Batch settings").system());
      assertEquals(
          300, byPrompt.get("Batch settings").generationConfig().path("maxOutputTokens").asInt());
      SimRequest own = byPrompt.get("Own settings");
      assertEquals("Answer in French.", own.system());
      assertEquals(777, own.generationConfig().path("maxOutputTokens").asInt());
      assertEquals(5, own.generationConfig().path("topK").asInt());
      assertEquals(
          0.5,
          own.generationConfig().path("topP").asDouble(),
          1e-6,
          "batch fields the task does not set stay");
      assertEquals(
          0,
          byPrompt
              .get("Config as a map")
              .generationConfig()
              .path("thinkingConfig")
              .path("thinkingBudget")
              .asInt(-1));
      assertEquals(0, t.intColumn("thoughts_tokens").get(2));
    }
  }

  @Test
  void badPerTaskConfigIsRefusedNamingTheTaskBeforeAnyRequest() {
    try (Simulator sim = Simulator.builder().start()) {
      List<Task> tasks =
          List.of(
              Task.of("a", "fine"),
              new Task("b", "broken", Map.of("config", "{\"maxOutputTokens\": 5, \"bogus\": 1}")));
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> rotator(sim).run(tasks));
      assertTrue(
          e.getMessage().contains("task 2 (id b)") && e.getMessage().contains("'bogus'"),
          e.getMessage());
      List<Task> both =
          List.of(
              new Task(
                  "c",
                  "x",
                  Map.of("config", "{\"thinkingConfig\": {\"thinkingLevel\": \"low\"}}")));
      e =
          assertThrows(
              IllegalArgumentException.class,
              () ->
                  rotator(sim)
                      .generation(Generation.builder().thinkingBudget(5).build())
                      .run(both));
      assertTrue(e.getMessage().contains("task 1 (id c)"), e.getMessage());
      assertEquals(0, sim.requests().size());
    }
  }

  @Test
  void perTaskOverridesComeFromATableToo() {
    try (Simulator sim = Simulator.builder().start()) {
      Table tasks =
          Table.create(
              "t",
              tech.tablesaw.api.StringColumn.create("prompt", "from a table"),
              tech.tablesaw.api.StringColumn.create("config", "{\"seed\": 42}"),
              tech.tablesaw.api.StringColumn.create("system", "Table system"));
      rotator(sim).run(tasks);
      assertEquals(42, sim.requests().get(0).generationConfig().path("seed").asInt());
      assertEquals("Table system", sim.requests().get(0).system());
    }
  }

  @Test
  void restoredRowsKeepTheNewColumnsAndTruncatedCount() {
    Path cp = dir.resolve("restore.jsonl");
    try (Simulator sim = Simulator.builder().start()) {
      rotator(sim)
          .checkpoint(cp)
          .generation(Generation.builder().thinkingBudget(100).maxOutputTokens(110).build())
          .run(List.of("A question long enough to be cut off"));
      Rotator again =
          rotator(sim)
              .checkpoint(cp)
              .generation(Generation.builder().thinkingBudget(100).maxOutputTokens(110).build());
      Table t = again.run(List.of("A question long enough to be cut off"));
      assertEquals(1, sim.requests().size(), "restored, not sent again");
      assertEquals(100, t.intColumn("thoughts_tokens").get(0));
      assertEquals("gemini-2.5-flash", t.stringColumn("model_version").get(0));
      assertTrue(t.intColumn("total_tokens").get(0) > 100);
      assertEquals("MAX_TOKENS", t.stringColumn("finish_reason").get(0));
      assertEquals(1, again.stats().truncated(), "a restored truncated answer is still counted");
    }
  }
}
