package dev.gkr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gkr.internal.json.JsonRepair;
import dev.gkr.internal.json.RepairRefusal;
import dev.gkr.sim.Simulator;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tech.tablesaw.api.Table;

/** The repair corpus (tests/resources/json-repair-corpus.jsonl) and JSON runs end to end. */
class JsonRepairTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  static List<JsonNode> corpus() throws Exception {
    List<JsonNode> out = new ArrayList<>();
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(
                JsonRepairTest.class.getResourceAsStream("/json-repair-corpus.jsonl"),
                StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; )
        if (!line.isBlank()) out.add(JSON.readTree(line));
    }
    return out;
  }

  static Stream<Arguments> cases() throws Exception {
    return corpus().stream()
        .map(c -> Arguments.of(c.get("category").asText() + ": " + c.get("name").asText(), c));
  }

  /**
   * Each case gives the value a careful reader would take from the answer, or the reason to refuse
   * it.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void repairsOrRefusesAsTheCorpusSays(String name, JsonNode c) throws Exception {
    String input = c.get("input").asText();
    boolean cutOff = c.path("cutOff").asBoolean();
    if (c.has("refuse")) {
      JsonRepair.RepairException e =
          assertThrows(
              JsonRepair.RepairException.class, () -> JsonRepair.repair(input, cutOff), name);
      assertEquals(
          RepairRefusal.valueOf(c.get("refuse").asText()),
          e.reason(),
          name + ": " + e.getMessage());
    } else {
      assertEquals(c.get("expect"), JsonRepair.repair(input, cutOff), name);
    }
  }

  @Test
  void corpusCoversEveryCategoryWithValuesAndJustifiedRefusals() throws Exception {
    List<JsonNode> all = corpus();
    assertTrue(all.size() >= 250, "corpus has " + all.size());
    Map<String, Long> perCategory =
        all.stream()
            .collect(Collectors.groupingBy(c -> c.get("category").asText(), Collectors.counting()));
    for (String cat :
        List.of(
            "quotes",
            "strings",
            "numbers",
            "literals",
            "comments",
            "brackets",
            "truncation",
            "prose and fences",
            "concatenated values",
            "must refuse")) {
      assertTrue(perCategory.getOrDefault(cat, 0L) >= 10, cat + " has " + perCategory.get(cat));
    }
    for (JsonNode c : all) {
      assertTrue(
          c.has("expect") != c.has("refuse"),
          c.get("name").asText() + ": needs exactly one of expect and refuse");
      if (c.has("refuse"))
        assertFalse(
            c.path("why").asText().isBlank(), c.get("name").asText() + ": a refusal says why");
      // Every repair is a reading of the answer: each accepted reading outside valid JSON says why
      // it invents nothing and drops nothing, as each refusal says what would be invented.
      if (c.has("expect") && !c.get("category").asText().equals("valid"))
        assertFalse(
            c.path("why").asText().isBlank(),
            c.get("name").asText() + ": an accepted guess says why");
    }
    assertTrue(all.stream().filter(c -> c.has("refuse")).count() >= 40);
  }

  @Test
  void jsonRunRepairsMalformedAnswersAndFlattensFieldsIntoTypedColumns() {
    try (Simulator sim = Simulator.builder().malformedJsonRate(0.6).seed(7).start()) {
      List<String> prompts = new ArrayList<>();
      for (int i = 0; i < 60; i++)
        prompts.add("classify review number " + i + " as positive or negative");
      Rotator r =
          Rotator.keys("json-key-1", "json-key-2")
              .slots(2)
              .baseUrl(sim.baseUrl())
              .retries(Retries.builder().maxRetries(5).build())
              .json();
      Table t = Results.flatten(r.run(prompts));
      assertEquals(
          60,
          t.booleanColumn("success").countTrue(),
          t.where(t.booleanColumn("success").isFalse()).print());
      assertTrue(sim.requests().stream().anyMatch(q -> q.outcome().equals("ok")));
      for (String col : List.of("json", "digest", "topic", "words", "positive", "score"))
        assertTrue(t.columnNames().contains(col), col);
      assertEquals(tech.tablesaw.api.ColumnType.LONG, t.column("words").type());
      assertEquals(tech.tablesaw.api.ColumnType.BOOLEAN, t.column("positive").type());
      assertEquals(tech.tablesaw.api.ColumnType.DOUBLE, t.column("score").type());
      // "classify review number N as positive or negative": eight words, counted by hand.
      for (int i = 0; i < 60; i++) assertEquals(8, t.longColumn("words").getLong(i));
      // Some answers needed repair or a retry: more requests than tasks, or repaired raw text in
      // response.
      long broken =
          t.stringColumn("response").asList().stream().filter(s -> !s.startsWith("{")).count();
      assertTrue(
          broken > 0 || sim.requests().size() > 60, "the malformed JSON mode was not exercised");
    }
  }

  @Test
  void unrepairableAnswerUsesRetriesThenKeepsRawTextAndReason() {
    try (Simulator sim = Simulator.builder().start()) {
      Table t =
          Rotator.keys("json-key-1", "json-key-2", "json-key-3")
              .baseUrl(sim.baseUrl())
              .retries(Retries.builder().maxRetries(2).build())
              .json()
              .run(List.of("always broken [[sim:bad-json]]"));
      assertFalse(t.booleanColumn("success").get(0));
      assertEquals("bad_json", t.stringColumn("error_type").get(0));
      assertEquals(3, t.intColumn("attempts").get(0));
      assertEquals(
          3,
          sim.requests().stream().map(q -> q.key()).distinct().count(),
          "retries should use other keys");
      assertFalse(t.stringColumn("response").get(0).isEmpty(), "raw text must be kept");
      assertTrue(
          t.stringColumn("error").get(0).contains("answer is not JSON"),
          t.stringColumn("error").get(0));
    }
  }

  @Test
  void schemaIsSentAndShapesTheAnswer() {
    String schema =
        "{\"type\":\"object\",\"properties\":{\"sentiment\":{\"type\":\"string\"},\"stars\":{\"type\":\"integer\"},\"spam\":{\"type\":\"boolean\"}}}";
    try (Simulator sim = Simulator.builder().start()) {
      Table t =
          Results.flatten(
              Rotator.keys("json-key-1")
                  .baseUrl(sim.baseUrl())
                  .json(schema)
                  .run(List.of("great product, five stars", "terrible")));
      assertEquals(
          List.of("sentiment", "stars", "spam"),
          t.columnNames().subList(t.columnCount() - 3, t.columnCount()));
      assertEquals(4L, t.longColumn("stars").getLong(0));
      assertEquals(1L, t.longColumn("stars").getLong(1));
      // The schema reached the wire: each request as the simulator logged it carries it whole.
      assertEquals(2, sim.requests().size());
      for (dev.gkr.sim.SimRequest q : sim.requests()) {
        assertEquals(
            "application/json",
            q.generationConfig().path("responseMimeType").asText(),
            q.generationConfig().toString());
        try {
          assertEquals(
              dev.gkr.internal.common.Json.MAPPER.readTree(schema),
              q.generationConfig().path("responseJsonSchema"),
              q.generationConfig().toString());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
          throw new AssertionError(e);
        }
      }
    }
  }
}
