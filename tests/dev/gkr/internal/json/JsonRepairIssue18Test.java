package dev.gkr.internal.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/**
 * Every shape issue 18 lists, mended to the value a careful reader takes, and the cut-off contract.
 */
class JsonRepairIssue18Test {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static void mends(String answer, String expected) throws Exception {
    assertEquals(JSON.readTree(expected), JsonRepair.repair(answer), answer);
  }

  private static RepairRefusal refusal(String answer, boolean cutOff) {
    return assertThrows(
            JsonRepair.RepairException.class, () -> JsonRepair.repair(answer, cutOff), answer)
        .reason();
  }

  @Test
  void keepsContentAfterACommentOnTheSameLine_issue18() throws Exception {
    mends(
        "{ \"key\": { \"key2\": \"value2\" # comment }, \"key3\": \"value3\" }",
        "{\"key\": {\"key2\": \"value2\"}, \"key3\": \"value3\"}");
  }

  @Test
  void mergesMembersAfterAnObjectClosedTooEarly_issue18() throws Exception {
    mends(
        "{\"key\": \"value\"}, \"key2\": \"value2\"}",
        "{\"key\": \"value\", \"key2\": \"value2\"}");
  }

  @Test
  void refusesTwoValuesInsteadOfReturningTheFirst_issue18() {
    assertEquals(
        RepairRefusal.SEVERAL_VALUES,
        refusal("{\"key\":\"value\"}, {\"key\":\"value_after\"}", false));
  }

  @Test
  void closesAStringMissingItsQuoteBeforeTheClosers_issue18() throws Exception {
    mends("{\"key\": [\"value]}", "{\"key\": [\"value\"]}");
  }

  @Test
  void mendsWhatWasRefusedThoughTheIntentIsPlain_issue18() throws Exception {
    mends("{\"key\": \"Lorem \"ipsum\" s,\"}", "{\"key\": \"Lorem \\\"ipsum\\\" s,\"}");
    mends("{\"key\": value}", "{\"key\": \"value\"}");
    mends("{key: value, key2: value2}", "{\"key\": \"value\", \"key2\": \"value2\"}");
    mends("{“a”: \"b\"}", "{\"a\": \"b\"}");
    mends("{\"p\": .25, \"n\": 82_461_110}", "{\"p\": 0.25, \"n\": 82461110}");
    mends("{\"a\": 1 \"b\": 2}", "{\"a\": 1, \"b\": 2}");
    mends("{\"key1\": [\"v1\", \"v2\"}, \"key2\": 3}", "{\"key1\": [\"v1\", \"v2\"], \"key2\": 3}");
    mends("(1, 'two', None)", "[1, \"two\", null]");
  }

  /**
   * Issue 18 mended these by dropping or inventing content; issue 32 refuses them: an elided tail
   * drops what the model left out, a dangling exponent guesses the number.
   */
  @Test
  void refusesElisionsAndDanglingExponents_issue32() {
    assertEquals(RepairRefusal.MALFORMED, refusal("[1, 2, 3, ...]", false));
    assertEquals(RepairRefusal.MALFORMED, refusal("{\"p\": .25, \"e\": 1e}", false));
  }

  @Test
  void cutOffAnswerIsRefusedNotClosed_issue18() throws Exception {
    String cut = "{\"items\": [\"a\", \"b\", \"c";
    assertEquals(
        JSON.readTree("{\"items\": [\"a\", \"b\", \"c\"]}"),
        JsonRepair.repair(cut),
        "finished normally: closed");
    assertEquals(RepairRefusal.CUT_OFF, refusal(cut, true));
    assertEquals(
        JSON.readTree("{\"a\": 1}"),
        JsonRepair.repair("{\"a\": 1}\nThe value a is", true),
        "a complete value survives a cut in the prose after it");
  }

  @Test
  void refusesNestingDeeperThanJacksonAllowsWithoutOverflowingTheStack() throws Exception {
    assertEquals(RepairRefusal.MALFORMED, refusal("[".repeat(LenientJson.MAX_DEPTH + 200), false));
    String deep = "[".repeat(LenientJson.MAX_DEPTH - 1) + "]".repeat(LenientJson.MAX_DEPTH - 1);
    assertEquals(LenientJson.MAX_DEPTH - 2, depth(JsonRepair.repair(deep)));
    // slots repair on virtual threads, whose stacks start small: the deepest value must fit there
    // too
    String unclosed = "{\"a\": ".repeat(LenientJson.MAX_DEPTH - 1) + "1";
    java.util.concurrent.atomic.AtomicReference<Object> got =
        new java.util.concurrent.atomic.AtomicReference<>();
    Thread.ofVirtual()
        .start(
            () -> {
              try {
                got.set(JsonRepair.repair(unclosed));
              } catch (Throwable e) {
                got.set(e);
              }
            })
        .join();
    assertTrue(got.get() instanceof JsonNode, String.valueOf(got.get()));
  }

  private static int depth(JsonNode n) {
    return n.isEmpty() ? 0 : 1 + depth(n.get(0));
  }

  @Test
  void jsonAnswersPassesTheCutOffOnAndNamesTheReason() {
    JsonAnswers.Parsed cut = JsonAnswers.parse("{\"a\": [1, 2", true);
    assertFalse(cut.ok());
    assertTrue(cut.error().startsWith("answer is not JSON: the answer was cut off"), cut.error());
    assertEquals("{\"a\":[1,2]}", JsonAnswers.parse("{\"a\": [1, 2").json());
  }
}
