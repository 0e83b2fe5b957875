package dev.gkr.internal.json;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gkr.internal.json.JsonRepair.RepairException;

/**
 * Where the JSON value sits in a model's answer: inside the one code fence that holds JSON, or in
 * the whole text after any prose; and whether anything JSON-like is left outside it (then the
 * answer holds more than one value and {@link JsonRepair} refuses rather than drop it).
 */
final class JsonRegion {
  private static final String FENCE = "```";

  private JsonRegion() {}

  /**
   * The value's region {@code [start, end)} and the text outside its fence ({@code [0, before)} and
   * {@code [after, length)}); without a fence the region is the whole text and nothing is outside.
   */
  record Span(int start, int end, int before, int after) {
    static Span whole(String t) {
      return new Span(0, t.length(), 0, t.length());
    }
  }

  static Span of(String t) throws RepairException {
    int p = t.indexOf(FENCE);
    Span found = null;
    while (p >= 0) {
      int from = p + FENCE.length();
      while (from < t.length()
          && (Character.isLetterOrDigit(t.charAt(from))
              || t.charAt(from) == '_'
              || t.charAt(from) == '-')) from++;
      int close = t.indexOf(FENCE, from);
      int to = close < 0 ? t.length() : close;
      if (valueStart(t, from, to) >= 0) {
        if (found != null) {
          throw new RepairException(
              RepairRefusal.SEVERAL_VALUES,
              "more than one fenced JSON block; refusing to guess which");
        }
        found = new Span(from, to, p, close < 0 ? t.length() : close + FENCE.length());
      }
      if (close < 0) break;
      p = t.indexOf(FENCE, close + FENCE.length());
    }
    return found != null ? found : Span.whole(t);
  }

  /**
   * Where the value starts in {@code t[from, to)}: the first '{' or '['; or a '(' that opens the
   * text and holds values (a Python tuple, not an aside); -1 if none.
   */
  static int valueStart(String t, int from, int to) {
    int k = JsonChars.skipBlank(t, from, to);
    if (k < to && t.charAt(k) == '(') {
      int m = JsonChars.skipBlank(t, k + 1, to);
      if (m < to
          && (JsonChars.isQuote(t.charAt(m))
              || JsonChars.isDigit(t.charAt(m))
              || JsonChars.isOpener(t.charAt(m))
              || t.charAt(m) == '-'
              || t.startsWith("True", m)
              || t.startsWith("False", m)
              || t.startsWith("None", m))) {
        return k;
      }
    }
    for (int m = from; m < to; m++) {
      char c = t.charAt(m);
      if (c == '{' || c == '[') return m;
    }
    return -1;
  }

  /**
   * After a bracket pair at {@code start} that holds no quote, colon or nested bracket ({@code
   * {name}}, {@code {x, y}}): prose, so the value may start after it; -1 otherwise (a broken value
   * is refused, never passed over for a value inside it).
   */
  static int afterProseBrackets(String t, int start, int to) {
    char close = t.charAt(start) == '{' ? '}' : t.charAt(start) == '[' ? ']' : ')';
    for (int k = start + 1; k < to; k++) {
      char c = t.charAt(k);
      if (c == close) return k + 1;
      if (c == ':'
          || c == '\n'
          || JsonChars.isQuote(c)
          || JsonChars.isOpener(c)
          || JsonChars.isCloser(c)) return -1;
    }
    return -1;
  }

  /** A whole answer escaped as a string's content: {@code {\"a\": \"b\"}}. */
  static boolean escaped(String t, int start) {
    int k = start + 1;
    while (k < t.length() && (JsonChars.isSpace(t.charAt(k)) || JsonChars.isOpener(t.charAt(k))))
      k++;
    return k + 1 < t.length() && t.charAt(k) == '\\' && t.charAt(k + 1) == '"';
  }

  static String unescape(String t, int from, int to) {
    StringBuilder b = new StringBuilder(to - from);
    for (int k = from; k < to; k++) {
      char c = t.charAt(k);
      if (c == '\\' && k + 1 < to && (t.charAt(k + 1) == '"' || t.charAt(k + 1) == '\\'))
        c = t.charAt(++k);
      b.append(c);
    }
    return b.toString();
  }

  /** After a root object: {@code , "key":} — members the model wrote after closing it too early. */
  static boolean membersFollow(String t, int k, int to) {
    k = JsonChars.skipBlankAndComments(t, k, to);
    if (k >= to || t.charAt(k) != ',') return false;
    return JsonChars.keyFollows(t, JsonChars.skipBlankAndComments(t, k + 1, to), to);
  }

  /**
   * Where JSON-like content starts in {@code t[from, to)}, or -1: right after a value, a comma with
   * more after it, a colon or a quote (more JSON, not prose); anywhere, a non-empty object or array
   * (read without bare string values, so {@code [citation needed]} is prose), or a quoted key and
   * its colon.
   */
  static int jsonAt(String t, int from, int to, boolean afterValue) {
    int first = JsonChars.skipBlank(t, from, to);
    if (afterValue && first < to) {
      char c = t.charAt(first);
      if ((c == ',' && JsonChars.skipBlank(t, first + 1, to) < to)
          || c == ':'
          || JsonChars.isDoubleQuote(c)
          || c == '\'') return first;
    }
    for (int k = from; k < to; k++) {
      char c = t.charAt(k);
      if (c == '{' || c == '[') {
        try {
          JsonNode v = new LenientJson(t, k, to, false).root();
          if (v.size() > 0) return k;
        } catch (RepairException prose) {
          // not a value: prose with a bracket
        }
      } else if (JsonChars.isQuote(c) && JsonChars.keyFollows(t, k, to)) {
        return k;
      }
    }
    return -1;
  }
}
