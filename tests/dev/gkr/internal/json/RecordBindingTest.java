package dev.gkr.internal.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The schema of a record type and the strict binding of answers to it. */
class RecordBindingTest {
  enum Mood {
    HAPPY,
    SAD
  }

  record Money(double amount, String currency) {}

  record Item(
      @JsonProperty("item_name") @JsonPropertyDescription("what was bought") String name,
      int count,
      Mood mood,
      Optional<String> note,
      List<Money> prices,
      @JsonIgnore String internal) {}

  record Category(String name, List<Category> children) {}

  private static final String GOOD =
      "{\"item_name\":\"tea\",\"count\":2,\"mood\":\"HAPPY\",\"prices\":[{\"amount\":1.5,\"currency\":\"EUR\"}]}";

  @Test
  void schemaFollowsTheRecord_issue27() {
    JsonNode s = RecordSchemas.of(Item.class);
    assertEquals(
        List.of("item_name", "count", "mood", "note", "prices"),
        iterable(s.path("properties").fieldNames()),
        "declaration order, Jackson's names, @JsonIgnore left out");
    assertEquals("what was bought", s.at("/properties/item_name/description").asText());
    assertEquals("[\"HAPPY\",\"SAD\"]", s.at("/properties/mood/enum").toString());
    assertEquals("string", s.at("/properties/mood/type").asText());
    assertEquals("[\"string\",\"null\"]", s.at("/properties/note/type").toString());
    assertEquals("[\"item_name\",\"count\",\"mood\",\"prices\"]", s.path("required").toString());
    assertEquals("number", s.at("/properties/prices/items/properties/amount/type").asText());
    assertTrue(!s.toString().contains("Money") && !s.has("$schema"), s.toString());
  }

  @Test
  void recursiveTypeKeepsAReference_issue27() throws Exception {
    JsonNode s = RecordSchemas.of(Category.class);
    assertEquals("#", s.at("/properties/children/items/$ref").asText());
    Category c =
        RecordBinding.bind(
            Category.class, "{\"name\":\"a\",\"children\":[{\"name\":\"b\",\"children\":[]}]}");
    assertEquals("b", c.children().get(0).name());
    assertEquals(
        Optional.of("$.children[0].children[0].name: expected string, got number 3"),
        RecordBinding.problem(
            Category.class,
            "{\"name\":\"a\",\"children\":[{\"name\":\"b\",\"children\":[{\"name\":3,\"children\":[]}]}]}"));
  }

  @Test
  void bindsAGoodAnswerAndIgnoresExtraFields_issue27() throws Exception {
    Item i = RecordBinding.bind(Item.class, GOOD.replace("{", "{\"extra\":true,"));
    assertEquals("tea", i.name());
    assertEquals(Optional.empty(), i.note());
    assertEquals(1.5, i.prices().get(0).amount());
    assertEquals(
        Optional.of("x"),
        RecordBinding.bind(Item.class, GOOD.replace("}]}", "}],\"note\":\"x\"}")).note());
    assertEquals(
        Optional.empty(),
        RecordBinding.bind(Item.class, GOOD.replace("}]}", "}],\"note\":null}")).note());
  }

  @Test
  void namesThePlaceAndReasonOfAMismatch_issue27() {
    assertEquals("$.count: required field is missing", mismatch(GOOD.replace("\"count\":2,", "")));
    assertEquals(
        "$.count: expected integer, got string \"two\"",
        mismatch(GOOD.replace("\"count\":2", "\"count\":\"two\"")));
    assertEquals(
        "$.count: expected integer, got number 2.5",
        mismatch(GOOD.replace("\"count\":2", "\"count\":2.5")));
    assertEquals(
        "$.mood: \"GLAD\" is not one of [\"HAPPY\",\"SAD\"]",
        mismatch(GOOD.replace("HAPPY", "GLAD")));
    assertEquals(
        "$.prices[0].currency: required field is missing",
        mismatch(GOOD.replace(",\"currency\":\"EUR\"", "")));
    assertEquals(
        "$.prices[0].amount: expected number, got null", mismatch(GOOD.replace("1.5", "null")));
    assertEquals("$: expected object, got array", mismatch("[1,2]"));
  }

  @Test
  void aWholeNumberWrittenWithAFractionIsAnInteger_issue27() throws Exception {
    assertEquals(
        2, RecordBinding.bind(Item.class, GOOD.replace("\"count\":2", "\"count\":2.0")).count());
  }

  /** A plain class with a no-argument constructor and public fields, as Jackson binds it. */
  static final class Ticket {
    public String title;
    public int priority;
    public List<String> labels;
  }

  @Test
  void aPlainClassJacksonBindsWorksToo_issue27() throws Exception {
    JsonNode s = RecordSchemas.of(Ticket.class);
    assertEquals("[\"title\",\"priority\",\"labels\"]", s.path("required").toString());
    Ticket t =
        RecordBinding.bind(Ticket.class, "{\"title\":\"t\",\"priority\":2,\"labels\":[\"x\"]}");
    assertEquals(2, t.priority);
    assertEquals(
        Optional.of("$.labels: required field is missing"),
        RecordBinding.problem(Ticket.class, "{\"title\":\"t\",\"priority\":2}"));
  }

  private static String mismatch(String json) {
    return assertThrows(RecordBinding.Mismatch.class, () -> RecordBinding.bind(Item.class, json))
        .getMessage();
  }

  private static List<String> iterable(java.util.Iterator<String> it) {
    List<String> out = new java.util.ArrayList<>();
    it.forEachRemaining(out::add);
    return out;
  }
}
