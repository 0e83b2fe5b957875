package dev.gkr.internal.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.gkr.internal.json.JsonRepair.RepairException;
import java.math.BigInteger;

/**
 * Unquoted words in model-written JSON: literals (JSON, Python, JavaScript spellings), numbers
 * (with the slips models make: {@code .25}, {@code +1}, {@code 1e}, {@code 82_461_110}) and value
 * wrappers. Nodes have the types Jackson's own reader gives (int, long, big integer, double), so
 * repaired and valid answers agree.
 */
final class JsonWords {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private JsonWords() {}

  static JsonNode literal(String w) {
    // Any case of true, false and null (TRUE, Null): one spelling rule for all three.
    return switch (w.toLowerCase(java.util.Locale.ROOT)) {
      case "true" -> BooleanNode.TRUE;
      case "false" -> BooleanNode.FALSE;
      case "null" -> NullNode.instance;
      default -> w.equals("None") || w.equals("undefined") ? NullNode.instance : null;
    };
  }

  /**
   * A literal cut off at the end of the text ({@code tru}); two letters at least, so "n" stays a
   * word.
   */
  static JsonNode completedLiteral(String w) {
    if (w.length() < 2) return null;
    if ("true".startsWith(w)) return BooleanNode.TRUE;
    if ("false".startsWith(w)) return BooleanNode.FALSE;
    if ("null".startsWith(w)) return NullNode.instance;
    return null;
  }

  /** Infinity and NaN: numbers JSON has no value for (null would lose them). */
  static boolean isInfinity(String w) {
    String v = w.startsWith("-") || w.startsWith("+") ? w.substring(1) : w;
    return v.equals("Infinity") || v.equals("inf") || v.equals("Inf") || v.equals("NaN");
  }

  /** MongoDB shell wrappers whose argument is the value ({@code NumberLong(2)} is 2). */
  static boolean isWrapper(String name) {
    return switch (name) {
      case "NumberLong", "NumberInt", "NumberDecimal", "NumberDouble", "ISODate", "ObjectId" ->
          true;
      default -> false;
    };
  }

  /**
   * The value an unquoted run of text at character {@code at} stands for: a literal, a number, or
   * (when {@code strings}) a bare string. {@code single}: the run is one of several split at
   * spaces; {@code atEnd}: it ends the text inside an open value. Refuses what has two readings
   * ({@code 007}, {@code 5 apples}).
   */
  static JsonNode word(String run, int at, boolean single, boolean atEnd, boolean strings)
      throws RepairException {
    JsonNode lit = literal(run);
    if (lit != null) return lit;
    JsonNode num = number(run);
    if (num != null) return num;
    String where = " at character " + (at + 1);
    if (hasLeadingZeros(run))
      throw refuse(
          RepairRefusal.AMBIGUOUS,
          "the number " + run + where + " has leading zeros (a code or a number?)");
    int paren = run.indexOf(')');
    if (paren > 0 && run.indexOf('(') < 0) {
      String head = run.substring(0, paren).strip();
      if (literal(head) != null || number(head) != null) {
        throw refuse(
            RepairRefusal.MALFORMED,
            "')' at character " + (at + paren + 1) + " closes nothing open");
      }
    }
    if (isInfinity(run)) throw refuse(RepairRefusal.MALFORMED, run + where + " has no JSON value");
    if (danglingExponent(run))
      throw refuse(
          RepairRefusal.MALFORMED,
          "the number "
              + run
              + where
              + " ends in an exponent that never came: its value is unknown");
    if (atEnd) {
      JsonNode completed = completedLiteral(run);
      if (completed != null) return completed;
    }
    int sp = single ? -1 : JsonChars.indexOfSpace(run);
    if (sp > 0) {
      String first = run.substring(0, sp);
      if (literal(first) != null || number(first) != null) {
        throw refuse(
            RepairRefusal.AMBIGUOUS,
            "\""
                + run
                + "\""
                + where
                + " starts like a "
                + (literal(first) != null ? "literal" : "number")
                + " but goes on; a comma or quotes are missing");
      }
    }
    if (!strings)
      throw refuse(
          RepairRefusal.MALFORMED, "bare word '" + run + "'" + where + " is not a JSON value");
    if (atEnd) {
      // {"a": 1, "b": x  or  ["a", "b"\nHope this helps: the last words may be prose after a value
      // left open
      throw refuse(
          RepairRefusal.AMBIGUOUS,
          "the text ends with the bare words '"
              + run
              + "'"
              + where
              + " in an open value: a value or prose?");
    }
    return NODES.textNode(run);
  }

  private static RepairException refuse(RepairRefusal reason, String message) {
    return new RepairException(reason, message);
  }

  /** The number {@code w} spells, mending the usual slips, or null when it is not one. */
  static JsonNode number(String w) {
    if (w.isEmpty()) return null;
    if (isJsonNumber(w)) return node(w);
    boolean digit = false;
    for (int k = 0; k < w.length(); k++) if (JsonChars.isDigit(w.charAt(k))) digit = true;
    if (!digit) return null;
    String u = w;
    if (u.indexOf('_') >= 0) {
      if (!underscoresBetweenDigits(u)) return null;
      u = u.replace("_", "");
    }
    if (u.startsWith("+")) u = u.substring(1);
    boolean neg = u.startsWith("-");
    String body = neg ? u.substring(1) : u;
    if (body.startsWith(".")) body = "0" + body;
    int e = Math.max(body.indexOf('e'), body.indexOf('E'));
    if (body.endsWith(".")) body = body + "0";
    String fixed = neg ? "-" + body : body;
    return isJsonNumber(fixed) ? node(fixed) : null;
  }

  /** {@code 1e}, {@code 2.5e-}: a number whose exponent was never written. */
  static boolean danglingExponent(String w) {
    String u = w.endsWith("+") || w.endsWith("-") ? w.substring(0, w.length() - 1) : w;
    if (!u.endsWith("e") && !u.endsWith("E")) return false;
    String mantissa = u.substring(0, u.length() - 1);
    return !mantissa.isEmpty() && number(mantissa) != null;
  }

  /** {@code 007}, {@code -01.5}: a code or a number? */
  static boolean hasLeadingZeros(String w) {
    int k = w.startsWith("-") || w.startsWith("+") ? 1 : 0;
    if (k + 1 >= w.length() || w.charAt(k) != '0' || !JsonChars.isDigit(w.charAt(k + 1)))
      return false;
    for (int m = k; m < w.length(); m++) {
      char c = w.charAt(m);
      if (!JsonChars.isDigit(c)
          && c != '.'
          && c != 'e'
          && c != 'E'
          && c != '-'
          && c != '+'
          && c != '_') return false;
    }
    return true;
  }

  private static boolean underscoresBetweenDigits(String u) {
    for (int k = 0; k < u.length(); k++) {
      if (u.charAt(k) != '_') continue;
      if (k == 0
          || k == u.length() - 1
          || !JsonChars.isDigit(u.charAt(k - 1))
          || !JsonChars.isDigit(u.charAt(k + 1))) return false;
    }
    return true;
  }

  /** JSON's number grammar: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? */
  static boolean isJsonNumber(String w) {
    int n = w.length();
    int k = 0;
    if (k < n && w.charAt(k) == '-') k++;
    if (k >= n) return false;
    if (w.charAt(k) == '0') {
      k++;
    } else if (JsonChars.isDigit(w.charAt(k))) {
      while (k < n && JsonChars.isDigit(w.charAt(k))) k++;
    } else {
      return false;
    }
    if (k < n && w.charAt(k) == '.') {
      int d = ++k;
      while (k < n && JsonChars.isDigit(w.charAt(k))) k++;
      if (k == d) return false;
    }
    if (k < n && (w.charAt(k) == 'e' || w.charAt(k) == 'E')) {
      k++;
      if (k < n && (w.charAt(k) == '+' || w.charAt(k) == '-')) k++;
      int d = k;
      while (k < n && JsonChars.isDigit(w.charAt(k))) k++;
      if (k == d) return false;
    }
    return k == n;
  }

  private static JsonNode node(String w) {
    for (int k = 0; k < w.length(); k++) {
      char c = w.charAt(k);
      if (c == '.' || c == 'e' || c == 'E') return NODES.numberNode(Double.parseDouble(w));
    }
    int digits = w.startsWith("-") ? w.length() - 1 : w.length();
    if (digits <= 9) return NODES.numberNode(Integer.parseInt(w));
    if (digits <= 18) {
      long v = Long.parseLong(w);
      return v == (int) v ? NODES.numberNode((int) v) : NODES.numberNode(v);
    }
    BigInteger b = new BigInteger(w);
    return b.bitLength() < 64 ? NODES.numberNode(b.longValue()) : NODES.numberNode(b);
  }
}
