package dev.gkr.internal.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gkr.internal.json.JsonRepair.RepairException;

/**
 * A recursive-descent reader of JSON as models write it, producing Jackson nodes in one pass. It
 * mends what has one plausible reading (see {@link JsonRepair}) and throws a {@link
 * RepairException} with a reason elsewhere. Not thread-safe: one instance reads one value.
 *
 * <p>Why a parser and not a text rewrite followed by Jackson: the hard cases (a quote inside a
 * string, a string missing its closing quote, a closer of the wrong kind) need to know what the
 * parser expects at that point, and one pass over the text is also faster than a rewrite plus a
 * second parse.
 */
final class LenientJson {
  static final int MAX_DEPTH = 1000; // Jackson's own default limit
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final String s;
  private final int n;
  private final boolean bareStrings;
  private char[] open = new char[16]; // closers of the open containers, innermost last; grows
  private int depth;
  private int tuples; // open '(' containers: only then does ')' end a word
  private int i;
  private boolean closedAtEnd;
  private int guessedCloserAt = -1;
  private boolean readAfterGuess; // a key or element was read after the guessed closer

  /**
   * Reads {@code s[start, end)}; {@code bareStrings} allows unquoted string values (off when
   * probing prose).
   */
  LenientJson(String s, int start, int end, boolean bareStrings) {
    this.s = s;
    this.i = start;
    this.n = end;
    this.bareStrings = bareStrings;
  }

  int position() {
    return i;
  }

  /** The text ended inside the value: a closer, a closing quote or a value was supplied. */
  boolean closedAtEnd() {
    return closedAtEnd;
  }

  /** Where the first closer of the wrong kind was read as the expected one, or -1. */
  int wrongCloserAt() {
    return guessedCloserAt;
  }

  /**
   * Whether a key or element was read after a closer of the wrong kind. If the value then ends
   * open, the closer may as well have closed the container around (and the content after it belongs
   * there): {@code {"x": {"a": [1}, "b": 2}} puts b in x or at the root.
   */
  boolean readAfterWrongCloser() {
    return readAfterGuess;
  }

  /** Reads the object, array or tuple at the current position. */
  JsonNode root() throws RepairException {
    return value('\0');
  }

  /**
   * Reads members after a root object that closed too early ({@code {"a": 1}, "b": 2}}) into it.
   */
  void mergeMembers(ObjectNode root) throws RepairException {
    open[depth++] = '}'; // depth is 0 here: the root closed
    members(root);
  }

  private JsonNode value(char closer) throws RepairException {
    skipSpace();
    if (i >= n) {
      closedAtEnd = true;
      throw Refusals.malformed("the answer ends where a value should be: null would be a guess");
    }
    char c = s.charAt(i);
    switch (c) {
      case '{' -> {
        push('}');
        ObjectNode o = NODES.objectNode();
        members(o);
        return o;
      }
      case '[', '(' -> {
        push(c == '[' ? ']' : ')');
        ArrayNode a = NODES.arrayNode();
        elements(a);
        // Python's (1) is 1 and ("x") is "x": parentheses group; only (1,) is a tuple.
        boolean grouping =
            c == '('
                && a.size() == 1
                && s.charAt(i - 1) == ')'
                && JsonChars.lastBefore(s, i - 1) != ',';
        return grouping ? a.get(0) : a;
      }
      default -> {
        if (JsonChars.isQuote(c)) return concatenated(closer);
        return bare();
      }
    }
  }

  private void push(char closer) throws RepairException {
    if (depth >= MAX_DEPTH)
      throw Refusals.malformed("the value is nested deeper than " + MAX_DEPTH + " levels");
    if (depth == open.length) open = java.util.Arrays.copyOf(open, depth * 2);
    open[depth++] = closer;
    if (closer == ')') tuples++;
    i++;
  }

  /**
   * Whether the open object or array ends here: at the end of the text (closed there) or at a
   * closing bracket.
   */
  private boolean containerEnds() throws RepairException {
    skipSpace();
    if (i >= n) {
      closedAtEnd = true;
      depth--;
      return true;
    }
    char c = s.charAt(i);
    if (JsonChars.isCloser(c)) {
      closeWith(c);
      return true;
    }
    return false;
  }

  private void members(ObjectNode o) throws RepairException {
    while (true) {
      if (containerEnds()) return;
      char c = s.charAt(i);
      if (c == ',') { // a leading or doubled comma in an object loses nothing
        i++;
        continue;
      }
      if (skipEllipsis()) continue;
      int keyAt = i;
      readAfterGuess |= guessedCloserAt >= 0;
      String key = key();
      skipSpace();
      if (i >= n) {
        closedAtEnd = true;
        throw Refusals.malformed("the answer ends after the key \"" + key + "\" with no value");
      }
      if (s.charAt(i) == ':') {
        i++;
      } else if (!JsonChars.startsValue(s.charAt(i))
          || !JsonChars.isSpace(s.charAt(i - 1))
          || JsonChars.newlineBefore(s, i)) { // {"a" 1}
        throw Refusals.malformed(
            "\"" + key + "\" at character " + (keyAt + 1) + " is not followed by ':' and a value");
      }
      JsonNode v = value('}');
      if (o.has(key)) {
        throw Refusals.ambiguous(
            "the key \"" + key + "\" appears twice; refusing to guess which value counts");
      }
      o.set(key, v);
      skipSpace();
      if (i < n && s.charAt(i) == ',') i++;
      // otherwise a closer, the end, or a missing comma before the next key
    }
  }

  private void elements(ArrayNode a) throws RepairException {
    boolean expectElement = true;
    while (true) {
      if (containerEnds()) return;
      char c = s.charAt(i);
      if (c == ',') {
        if (expectElement)
          throw Refusals.ambiguous(
              "an empty element at character " + (i + 1) + " (a hole: null or nothing?)");
        expectElement = true;
        i++;
        continue;
      }
      if (skipEllipsis()) {
        expectElement = false;
        continue;
      }
      readAfterGuess |= guessedCloserAt >= 0;
      if (!JsonChars.isQuote(c) && c != '{' && c != '[' && c != '(') {
        bareElements(a);
      } else {
        a.add(value(open[depth - 1]));
      }
      expectElement = false;
    }
  }

  /**
   * Closes the innermost container with {@code c}; one of the wrong kind is taken for the right
   * one.
   */
  private void closeWith(char c) throws RepairException {
    char expected = open[depth - 1];
    if (c != expected && JsonChars.isOpener(JsonChars.lastBefore(s, i)))
      throw Refusals.closesEmpty(c, i, JsonChars.lastBefore(s, i));
    if (c != expected) {
      if (c == ')' || expected == ')') throw Refusals.closesNothing(c, i, expected);
      if (guessedCloserAt < 0) guessedCloserAt = i;
    }
    if (expected == ')') tuples--;
    depth--;
    i++;
  }

  private String key() throws RepairException {
    char c = s.charAt(i);
    if (JsonChars.isQuote(c)) {
      QuotedStrings.Read key = QuotedStrings.key(s, i, n);
      if (key.text() == null) {
        closedAtEnd |= key.cut();
        throw Refusals.malformed("the key at character " + (i + 1) + " has no closing quote");
      }
      i = key.end();
      return key.text();
    }
    int k = JsonChars.unquotedKeyEnd(s, i, n);
    String key = s.substring(i, k).strip();
    if (key.isEmpty())
      throw Refusals.malformed(
          "unexpected '" + c + "' at character " + (i + 1) + " where a key should be");
    i = k;
    return key;
  }

  /** A quoted value string; see {@link QuotedStrings#value}. */
  private String string(char closer) throws RepairException {
    QuotedStrings.Read r = QuotedStrings.value(s, i, n, closer, open, depth);
    i = r.end();
    closedAtEnd |= r.cut();
    if (r.cut() && r.text().isEmpty())
      throw Refusals.malformed(
          "the answer ends right after an opening quote: \"\" would be a guess");
    return r.text();
  }

  /** A quoted string, and any strings joined to it with '+'. */
  private JsonNode concatenated(char closer) throws RepairException {
    String v = string(closer);
    while (true) {
      int k = JsonChars.skipBlank(s, i, n);
      if (k >= n || s.charAt(k) != '+') break;
      int q = JsonChars.skipBlank(s, k + 1, n);
      if (q >= n || !JsonChars.isQuote(s.charAt(q))) break;
      i = q;
      v = v + string(closer);
    }
    return NODES.textNode(v);
  }

  /** An unquoted value in an object: a literal, a number or (when allowed) a bare string. */
  private JsonNode bare() throws RepairException {
    int at = i;
    JsonNode wrapped = wrapper();
    if (wrapped != null) return wrapped;
    String run = run();
    if (run.isEmpty() || run.equals("...") || run.equals("\u2026")) {
      throw Refusals.malformed("a value is missing at character " + (at + 1));
    }
    return word(run, at, false);
  }

  /**
   * Unquoted elements of an array: {@code [1 2 3]} are three numbers, {@code [red, green]} two
   * strings.
   */
  private void bareElements(ArrayNode a) throws RepairException {
    int at = i;
    JsonNode wrapped = wrapper();
    if (wrapped != null) {
      a.add(wrapped);
      return;
    }
    String run = run();
    if (run.isEmpty())
      throw Refusals.malformed("unexpected '" + s.charAt(at) + "' at character " + (at + 1));
    int sp = JsonChars.indexOfSpace(run);
    if (sp < 0) {
      a.add(word(run, at, false));
      return;
    }
    String[] parts = run.split("\\s+");
    for (String p : parts) {
      if (JsonWords.literal(p) == null && JsonWords.number(p) == null) {
        a.add(word(run, at, false)); // mixed words: one bare string, or refused below
        return;
      }
    }
    for (String p : parts)
      a.add(word(p, at, true)); // only numbers and literals: commas were left out
  }

  private JsonNode word(String run, int at, boolean single) throws RepairException {
    boolean atEnd = at + run.length() >= JsonChars.skipBack(s, n);
    boolean strings =
        bareStrings && (depth == 0 || open[depth - 1] != ')'); // Python tuples quote their strings
    JsonNode v = JsonWords.word(run, at, single, atEnd, strings);
    if (atEnd) closedAtEnd = true; // a number or literal at the very end may have been cut short
    return v;
  }

  /** The unquoted text at the current position up to the next delimiter, trimmed. */
  private String run() {
    int start = i;
    i = JsonChars.runEnd(s, i, n, tuples > 0);
    return s.substring(start, i).strip();
  }

  /** MongoDB and Python wrappers around a value: {@code NumberLong(2)}, {@code ISODate("...")}. */
  private JsonNode wrapper() throws RepairException {
    int k = i;
    while (k < n && (Character.isLetter(s.charAt(k)) || s.charAt(k) == '_')) k++;
    if (k == i || k >= n || s.charAt(k) != '(') return null;
    String name = s.substring(i, k);
    if (!JsonWords.isWrapper(name))
      throw Refusals.malformed(
          "a call " + name + "(...) at character " + (i + 1) + " is not a JSON value");
    i = k + 1;
    tuples++;
    JsonNode inner = value(')');
    tuples--;
    skipSpace();
    if (i < n && s.charAt(i) == ')') i++;
    else if (i >= n) closedAtEnd = true;
    else
      throw Refusals.malformed(
          name + "( at character " + (k - name.length() + 1) + " is not closed");
    return inner;
  }

  private boolean skipEllipsis() throws RepairException {
    if (JsonChars.afterEllipsis(s, i, n) == i) return false;
    throw Refusals.elided(i);
  }

  /** Skips whitespace and comments ({@code //}, {@code /* *}{@code /}, {@code #}). */
  private void skipSpace() throws RepairException {
    while (i < n) {
      char c = s.charAt(i);
      if (JsonChars.isSpace(c)) {
        i++;
      } else if (c == '#') {
        lineComment(i + 1);
      } else if (c == '/' && i + 1 < n && s.charAt(i + 1) == '/') {
        lineComment(i + 2);
      } else if (c == '/' && i + 1 < n && s.charAt(i + 1) == '*') {
        int e = s.indexOf("*/", i + 2);
        if (e < 0 || e + 2 > n) throw unclosedComment();
        i = e + 2;
      } else {
        return;
      }
    }
  }

  private RepairException unclosedComment() {
    closedAtEnd = true;
    return Refusals.malformed(
        "the comment at character " + (i + 1) + " never closes; it would swallow the rest");
  }

  /** See {@link JsonChars#lineCommentEnd}. */
  private void lineComment(int from) {
    i = JsonChars.lineCommentEnd(s, from, n, depth > 0);
  }
}
