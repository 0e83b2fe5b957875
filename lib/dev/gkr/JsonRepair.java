package dev.gkr;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the JSON value in a model's answer, mending what models typically break: code fences, prose around
 * the value, trailing commas, single quotes, unquoted keys, Python literals, raw newlines in strings,
 * comments, and a value cut off at the end (missing closing quotes, braces and brackets). It refuses rather
 * than guesses when there is no JSON value or more than one candidate value in the text.
 */
final class JsonRepair {
  private static final ObjectMapper JSON = Json.MAPPER;
  private static final Pattern FENCE = Pattern.compile("```[a-zA-Z0-9]*\\s*\\n?(.*?)(?:```|$)", Pattern.DOTALL);

  /** The text could not be read as one JSON value. */
  static final class RepairException extends Exception {
    RepairException(String message) {
      super(message);
    }
  }

  private JsonRepair() {}

  static JsonNode repair(String text) throws RepairException {
    if (text == null || text.isBlank()) throw new RepairException("empty answer");
    String t = text.strip();
    try {
      return JSON.readTree(t); // the common case: already valid
    } catch (JsonProcessingException ignored) {
      // mend below
    }
    Matcher fence = FENCE.matcher(t);
    if (fence.find()) {
      String first = fence.group(1).strip();
      while (fence.find()) {
        if (firstBracket(fence.group(1)) >= 0) throw new RepairException("more than one fenced JSON block; refusing to guess which");
      }
      t = first;
    }
    int start = firstBracket(t);
    if (start < 0) throw new RepairException("no JSON object or array in the answer");
    String candidate = t.substring(start);
    Normalized n;
    try {
      n = normalize(candidate);
    } catch (IllegalArgumentException e) {
      throw new RepairException(e.getMessage());
    }
    String rest = candidate.substring(n.consumed()).strip();
    if (firstBracket(rest) >= 0 && looksLikeValue(rest.substring(firstBracket(rest)))) {
      throw new RepairException("more than one JSON value in the answer; refusing to guess which");
    }
    try {
      JsonNode node = JSON.readTree(n.json());
      if (node == null) throw new RepairException("no JSON value");
      return node;
    } catch (JsonProcessingException e) {
      throw new RepairException(e.getOriginalMessage());
    }
  }

  private static int firstBracket(String s) {
    int brace = s.indexOf('{');
    int bracket = s.indexOf('[');
    if (brace < 0) return bracket;
    if (bracket < 0) return brace;
    return Math.min(brace, bracket);
  }

  private static boolean looksLikeValue(String s) {
    try {
      Normalized n = normalize(s);
      JsonNode v = JSON.readTree(n.json());
      return v != null && v.size() > 0 && n.closedCleanly();
    } catch (JsonProcessingException | RuntimeException e) {
      return false;
    }
  }

  private record Normalized(String json, int consumed, boolean closedCleanly) {}

  /**
   * One pass over the value starting at index 0: rewrites strings to double quotes, quotes bare keys, maps
   * Python literals, drops comments and trailing commas, and stops where the outermost value closes.
   */
  private static Normalized normalize(String s) {
    StringBuilder out = new StringBuilder(s.length() + 8);
    Deque<Character> stack = new ArrayDeque<>();
    int i = 0;
    int n = s.length();
    while (i < n) {
      char c = s.charAt(i);
      if (c == '"' || c == '\'') {
        i = copyString(s, i, out);
        continue;
      }
      if (c == '/' && i + 1 < n && s.charAt(i + 1) == '/') {
        while (i < n && s.charAt(i) != '\n') i++;
        continue;
      }
      if (c == '/' && i + 1 < n && s.charAt(i + 1) == '*') {
        int end = s.indexOf("*/", i + 2);
        i = end < 0 ? n : end + 2;
        continue;
      }
      if (c == '#' ) {
        while (i < n && s.charAt(i) != '\n') i++;
        continue;
      }
      if (c == '{' || c == '[') {
        stack.push(c == '{' ? '}' : ']');
        out.append(c);
        i++;
        continue;
      }
      if (c == '}' || c == ']') {
        dropTrailingComma(out);
        if (stack.isEmpty() || stack.peek() != c) {
          throw new IllegalArgumentException("unbalanced '" + c + "'");
        }
        stack.pop();
        out.append(c);
        i++;
        if (stack.isEmpty()) return new Normalized(out.toString(), i, true);
        continue;
      }
      if (Character.isLetter(c) || c == '_' || c == '$') {
        int j = i;
        while (j < n && (Character.isLetterOrDigit(s.charAt(j)) || s.charAt(j) == '_' || s.charAt(j) == '$' || s.charAt(j) == '-')) j++;
        String word = s.substring(i, j);
        int k = j;
        while (k < n && Character.isWhitespace(s.charAt(k))) k++;
        boolean isKey = k < n && s.charAt(k) == ':' && !stack.isEmpty() && stack.peek() == '}';
        if (isKey) {
          out.append('"').append(word).append('"');
        } else {
          out.append(switch (word) {
            case "True", "true" -> "true";
            case "False", "false" -> "false";
            case "None", "null", "undefined", "NaN" -> "null";
            default -> throw new IllegalArgumentException("bare word '" + word + "' is not a JSON value");
          });
        }
        i = j;
        continue;
      }
      out.append(c);
      i++;
    }
    // Cut off at the end: close what is open, dropping a dangling comma or key.
    dropTrailingComma(out);
    String tail = out.toString().stripTrailing();
    if (tail.endsWith(":")) out.append(" null");
    while (!stack.isEmpty()) out.append(stack.pop());
    return new Normalized(out.toString(), n, false);
  }

  /** Copies a quoted string as a JSON double-quoted string; closes it if the text ends inside it. */
  private static int copyString(String s, int i, StringBuilder out) {
    char quote = s.charAt(i);
    out.append('"');
    i++;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c == '\\' && i + 1 < s.length()) {
        char e = s.charAt(i + 1);
        if (e == '\'') out.append('\'');
        else out.append(c).append(e);
        i += 2;
        continue;
      }
      if (c == quote) {
        out.append('"');
        return i + 1;
      }
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> out.append(c);
      }
      i++;
    }
    out.append('"');
    return i;
  }

  private static void dropTrailingComma(StringBuilder out) {
    int k = out.length() - 1;
    while (k >= 0 && Character.isWhitespace(out.charAt(k))) k--;
    if (k >= 0 && out.charAt(k) == ',') out.setLength(k);
  }
}
