package dev.gkr.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The simulator's schema-following answers, on their own. */
class SchemaAnswersTest {
  private static JsonNode schema(String json) throws Exception {
    return SimJson.MAPPER.readTree(json);
  }

  @Test
  void followsNestedObjectsArraysEnumsBoundsAndReferences_issue27() throws Exception {
    JsonNode s =
        schema(
            """
            {"type":"object","$defs":{"Money":{"type":"object","properties":{
               "amount":{"type":"number","minimum":1,"maximum":2},"currency":{"type":"string"}},
               "required":["amount","currency"]}},
             "properties":{
               "stars":{"type":"integer","minimum":1,"maximum":5},
               "mood":{"type":"string","enum":["HAPPY","SAD"]},
               "price":{"$ref":"#/$defs/Money"},
               "tags":{"type":"array","items":{"type":"string","enum":["A","B"]}},
               "offers":{"type":"array","items":{"$ref":"#/$defs/Money"}},
               "note":{"type":["string","null"]}},
             "required":["stars","mood","price","tags","offers"]}
            """);
    Set<String> moods = new HashSet<>();
    boolean noteAbsentOrNull = false, notePresent = false;
    for (String prompt :
        List.of("one", "two words", "a longer prompt of seven words", "x y", "p q r", "k")) {
      JsonNode a = SchemaAnswers.answer(s, prompt, prompt);
      long stars = a.get("stars").asLong();
      assertTrue(stars >= 1 && stars <= 5, a.toString());
      moods.add(a.get("mood").asText());
      double amount = a.at("/price/amount").asDouble();
      assertTrue(amount >= 1 && amount <= 2, a.toString());
      assertTrue(a.at("/price/currency").isTextual(), a.toString());
      assertFalse(a.get("offers").isEmpty());
      for (JsonNode o : a.get("offers")) assertTrue(o.get("amount").isNumber(), a.toString());
      for (JsonNode t : a.get("tags")) assertTrue(Set.of("A", "B").contains(t.asText()));
      if (a.path("note").isTextual()) notePresent = true;
      else noteAbsentOrNull = true;
      assertEquals(a, SchemaAnswers.answer(s, prompt, prompt), "the same prompt, the same answer");
    }
    assertTrue(Set.of("HAPPY", "SAD").containsAll(moods));
    assertTrue(notePresent && noteAbsentOrNull, "an optional field varies");
  }

  @Test
  void mismatchGivesTheFirstFieldTheWrongType_issue27() throws Exception {
    JsonNode s =
        schema(
            "{\"type\":\"object\",\"properties\":{\"n\":{\"type\":\"integer\"}},\"required\":[\"n\"]}");
    JsonNode bad = SchemaAnswers.mismatched(SchemaAnswers.answer(s, "hello", "hello"));
    assertTrue(bad.get("n").isTextual(), bad.toString());
  }
}
