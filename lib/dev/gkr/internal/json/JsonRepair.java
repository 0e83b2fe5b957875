package dev.gkr.internal.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Reads the one JSON value in a model's answer, mending what models typically break, and refuses
 * (with a {@link RepairRefusal} reason) where two readings are plausible or content would be lost.
 *
 * <p>Mended, because a careful reader would mend them the same way: code fences and prose around
 * the value; single, typographic and unescaped inner quotes; unquoted keys and unquoted string
 * values; Python and JavaScript literals ({@code True}, {@code None}, {@code undefined}) and
 * tuples; comments ({@code //}, {@code /* *}{@code /}, {@code #}); trailing, leading and missing
 * commas; a missing colon; numbers such as {@code .25}, {@code +1}, {@code 1e}, {@code 82_461_110};
 * raw newlines in strings; {@code "a" + "b"}; ellipses ({@code [1, 2, ...]}); MongoDB wrappers
 * ({@code NumberLong(2)}); an escaped answer ({@code {\"a\": 1}}); a closer of the wrong kind; an
 * object closed too early ({@code {"a": 1}, "b": 2}}: the rest is merged); and a value whose end is
 * missing (closers, a closing quote, a last value).
 *
 * <p>Refused: no value; several values ({@code {"a": 1} {"a": 2}}, two fenced blocks, JSON-like
 * content after the value, never silently dropped); a key given twice; an array hole ({@code
 * [1,,2]}); a number with leading zeros; words that start like a number or literal ({@code 5
 * apples}); a quote that may or may not end a string (next to structure, doubled, without a
 * partner); bare words ending an open value (a value or prose?); a closer of the wrong kind when
 * the two readings of it give different values; a comment that never closes; nesting deeper than
 * Jackson allows. The corpus ({@code tests/resources/json-repair-corpus.jsonl}) holds a case, and
 * each refusal its reason, for every rule.
 *
 * <p>Cut off: when the caller knows the text was cut off (finish reason MAX_TOKENS), {@link
 * #repair(String, boolean)} with {@code cutOff} refuses with {@link RepairRefusal#CUT_OFF} instead
 * of closing the value, so a truncated answer never becomes a silent partial value. Without it, a
 * missing end is closed, since models also drop closers on answers that did finish. Thread-safe: no
 * shared mutable state.
 */
public final class JsonRepair {
  private static final JsonMapper STRICT =
      JsonMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  /**
   * The text could not be read as one JSON value; {@link #reason()} says why. Stackless: refusals
   * are common.
   */
  public static final class RepairException extends Exception {
    private final RepairRefusal reason;

    RepairException(RepairRefusal reason, String message) {
      super(message, null, false, false);
      this.reason = reason;
    }

    public RepairRefusal reason() {
      return reason;
    }
  }

  /**
   * Brackets in prose before the value that are tried and passed over ("Sure {name}, here: {...}").
   */
  private static final int MAX_STARTS = 8;

  private JsonRepair() {}

  /** Repairs an answer that finished normally (a missing end is closed). */
  public static JsonNode repair(String text) throws RepairException {
    return repair(text, false);
  }

  /**
   * Repairs {@code text}; when {@code cutOff} (the model stopped at its token limit), an incomplete
   * value is refused with {@link RepairRefusal#CUT_OFF} rather than closed.
   */
  public static JsonNode repair(String text, boolean cutOff) throws RepairException {
    if (text == null || text.isBlank())
      throw new RepairException(RepairRefusal.EMPTY, "empty answer");
    String t = text.strip();
    if (looksScalar(t)) {
      try {
        return STRICT.readTree(t);
      } catch (JsonProcessingException ignored) {
        // prose: look for an object or array below
      }
    }
    JsonRegion.Span region = JsonRegion.of(t);
    RepairException first = null;
    int from = region.start();
    for (int attempt = 0; attempt < MAX_STARTS; attempt++) {
      int start = JsonRegion.valueStart(t, from, region.end());
      if (start < 0) break;
      try {
        return read(t, start, region, cutOff);
      } catch (RepairException e) {
        int next =
            e.reason() == RepairRefusal.MALFORMED
                ? JsonRegion.afterProseBrackets(t, start, region.end())
                : -1;
        if (next < 0) throw first != null ? first : e;
        if (first == null) first = e;
        from = next; // "Sure {name}, here:": a bracket pair with no quote or colon inside is prose
      }
    }
    if (first != null) throw first;
    throw new RepairException(RepairRefusal.NO_VALUE, "no JSON object or array in the answer");
  }

  private static JsonNode read(String t, int start, JsonRegion.Span region, boolean cutOff)
      throws RepairException {
    if (JsonRegion.escaped(t, start)) {
      t = JsonRegion.unescape(t, start, region.end());
      region = JsonRegion.Span.whole(t);
      start = 0;
    }
    LenientJson p = new LenientJson(t, start, region.end(), true);
    JsonNode root;
    try {
      root = p.root();
      if (root instanceof ObjectNode o) {
        while (JsonRegion.membersFollow(t, p.position(), region.end())) p.mergeMembers(o);
      }
    } catch (RepairException e) {
      if (cutOff && p.closedAtEnd()) throw cutOff();
      throw e;
    }
    if (p.closedAtEnd() && cutOff) throw cutOff();
    if (p.closedAtEnd() && p.readAfterWrongCloser()) {
      throw new RepairException(
          RepairRefusal.AMBIGUOUS,
          "the closer at character "
              + (p.wrongCloserAt() + 1)
              + " is of the wrong kind and the value does not close: a typo or a missing closer?");
    }
    int after = p.position();
    if (p.wrongCloserAt() >= 0 && JsonChars.skipBlank(t, after, region.end()) < region.end()) {
      throw new RepairException(
          RepairRefusal.AMBIGUOUS,
          "a closer of the wrong kind at character "
              + (p.wrongCloserAt() + 1)
              + " and text after the value: the closer may not be a typo");
    }
    int more = JsonRegion.jsonAt(t, after, region.end(), true);
    if (more < 0) more = JsonRegion.jsonAt(t, 0, region.before(), false); // outside the fence
    if (more < 0) more = JsonRegion.jsonAt(t, region.after(), t.length(), false);
    if (more >= 0) {
      throw new RepairException(
          RepairRefusal.SEVERAL_VALUES,
          "more JSON at character "
              + (more + 1)
              + " besides the value at characters "
              + (start + 1)
              + "-"
              + after
              + "; refusing to guess which counts");
    }
    return root;
  }

  private static RepairException cutOff() {
    return new RepairException(
        RepairRefusal.CUT_OFF,
        "the answer was cut off inside the JSON value; refusing to close it");
  }

  /**
   * A lone string, number or literal, read strictly. Objects and arrays, valid or not, go to {@link
   * LenientJson}, which reads valid JSON as Jackson does (a property test holds it to that) and is
   * about three times faster than a strict attempt whose failure costs an exception on every broken
   * answer.
   */
  private static boolean looksScalar(String t) {
    char a = t.charAt(0);
    return (a == '"' && t.charAt(t.length() - 1) == '"')
        || (t.length() < 40
            && (JsonChars.isDigit(a) || a == '-' || a == 't' || a == 'f' || a == 'n'));
  }
}
