package dev.gkr.internal.json;

import dev.gkr.internal.json.JsonRepair.RepairException;

/**
 * Quoted keys and string values in model-written JSON: where a string ends when the model left
 * quotes unescaped inside it or left out the closing quote, and what its escapes mean. The rules
 * lean to refusing: a quote that stands next to structure, a doubled quote, or an inner quote
 * without a partner are read as two plausible readings.
 */
final class QuotedStrings {
  private QuotedStrings() {}

  /**
   * A string read from the text: its content, the index after it, and whether the text ended inside
   * it.
   */
  record Read(String text, int end, boolean cut) {}

  /**
   * The quoted key opening at {@code i}. It ends at the first quote of its kind, or at a later one
   * followed by a colon when the first stands inside words ({@code {"a "b" c": 1}}). {@code text}
   * is null when no quote ends it on its line.
   */
  static Read key(String s, int i, int n) {
    char c = s.charAt(i);
    int start = i + 1;
    int firstQuote = -1;
    boolean ended = true;
    for (int k = start; k < n; k++) {
      char d = s.charAt(k);
      if (d == '\\') {
        k++;
      } else if (JsonChars.closes(c, d)) {
        if (JsonChars.colonFollows(s, k + 1, n)
            && (firstQuote < 0
                || (JsonChars.inWord(s, firstQuote, n) && !has(s, start, k, ':', ',')))) {
          return new Read(unescape(s, start, k), k + 1, false);
        }
        if (firstQuote < 0) firstQuote = k;
      } else if (d == '\n') {
        ended = false;
        break;
      }
    }
    // no quote followed by a colon on this line: the first quote ends the key ({"a" 1} lacks the
    // colon)
    if (firstQuote >= 0) return new Read(unescape(s, start, firstQuote), firstQuote + 1, false);
    return new Read(null, n, ended);
  }

  /**
   * The quoted value string opening at {@code i}, in a container closed by {@code closer} with
   * {@code open[0, depth)} still open. A quote of the opening kind inside it ends it only where
   * what follows reads as the container's next part ({@link JsonChars#endsValue}); otherwise it is
   * taken as a quote the model forgot to escape ({@code "Lorem "ipsum" s,"}), if it stands inside
   * words and finds a partner.
   */
  static Read value(String s, int i, int n, char closer, char[] open, int depth)
      throws RepairException {
    char q = s.charAt(i);
    int start = i + 1;
    int declined = -1;
    int unpaired = 0; // declined quotes that are not apostrophes
    for (int k = start; k < n; k++) {
      char d = s.charAt(k);
      if (d == '\\') {
        k++;
        continue;
      }
      if (!JsonChars.closes(q, d)) continue;
      if (k + 1 < n && JsonChars.closes(q, s.charAt(k + 1))) {
        throw ambiguous(
            "a doubled quote at character " + (k + 1) + ": an escaped quote or an empty string?");
      }
      if (JsonChars.endsValue(s, k + 1, n, closer)) {
        if (unpaired % 2 == 1) {
          throw ambiguous(
              "the quote at character "
                  + (declined + 1)
                  + " has no partner: it may end the string at character "
                  + start);
        }
        if (declined >= 0 && JsonChars.newlineBefore(s, k)) {
          throw ambiguous(
              "the quote at character "
                  + (k + 1)
                  + " starts a line: it may open a string rather than end one");
        }
        return new Read(unescape(s, start, k), k + 1, false);
      }
      if (JsonChars.atLineEdge(s, k, n) || !JsonChars.inWord(s, k, n)) {
        throw ambiguous(
            "the quote at character "
                + (k + 1)
                + " may end the string at character "
                + start
                + " (it stands next to structure, not inside words)");
      }
      if (!apostrophe(s, k, n)) unpaired++;
      if (closer == '}' && JsonChars.colonFollows(s, k + 1, n)) {
        throw ambiguous(
            "the string at character " + start + " seems to lack its closing quote before a key");
      }
      if (declined < 0) declined = k;
    }
    if (declined >= 0) {
      throw ambiguous(
          "the string at character "
              + start
              + " never closes; the quote at character "
              + (declined + 1)
              + " may end it");
    }
    // No closing quote. If the text ends with exactly the closers still open ({"key": ["value]}),
    // the quote
    // is missing before them; otherwise the answer ends inside the string, unless it swallowed a
    // closer.
    int tail = closersTail(s, start, n, open, depth);
    if (tail == n && has(s, start, n, '}', ']')) {
      throw ambiguous("the string at character " + start + " never closes and runs over a closer");
    }
    if (tail < n && JsonChars.skipBack(s, tail) <= start) {
      throw ambiguous(
          "a lone quote at character "
              + start
              + " before the closers: a stray quote or an empty string?");
    }
    if (tail < n && s.charAt(JsonChars.skipBack(s, tail) - 1) == ',') {
      throw ambiguous(
          "the string at character "
              + start
              + " lacks its closing quote and ends with a comma: a string or a stray quote?");
    }
    if (tail < n
        && JsonChars.isQuote(s.charAt(tail - 1))) { // {"a": "b'}: a quote of the wrong kind?
      throw ambiguous(
          "the string at character "
              + start
              + " ends with "
              + s.charAt(tail - 1)
              + ": its closing quote, of the wrong kind, or part of it?");
    }
    return new Read(unescape(s, start, tail), tail, true);
  }

  /**
   * A single quote between letters ({@code O'Brien}, {@code it's}): part of a word, not a string's
   * end.
   */
  private static boolean apostrophe(String s, int k, int n) {
    char c = s.charAt(k);
    return (c == '\'' || c == '\u2019' || c == '\u2018')
        && k > 0
        && k + 1 < n
        && Character.isLetter(s.charAt(k - 1))
        && Character.isLetter(s.charAt(k + 1));
  }

  /**
   * Start of the text's tail made of whitespace and the innermost open closers in order, or {@code
   * n}.
   */
  private static int closersTail(String s, int from, int n, char[] open, int depth) {
    int k = n;
    while (k > from && (JsonChars.isSpace(s.charAt(k - 1)) || JsonChars.isCloser(s.charAt(k - 1))))
      k--;
    int level = depth - 1;
    int first = -1;
    for (int m = k; m < n; m++) {
      char c = s.charAt(m);
      if (JsonChars.isSpace(c)) continue;
      if (level < 0 || c != open[level]) return n;
      if (first < 0) first = m;
      level--;
    }
    return first < 0 ? n : first;
  }

  private static boolean has(String s, int from, int to, char a, char b) {
    for (int k = from; k < to; k++) if (s.charAt(k) == a || s.charAt(k) == b) return true;
    return false;
  }

  private static RepairException ambiguous(String message) {
    return new RepairException(RepairRefusal.AMBIGUOUS, message);
  }

  /**
   * The content of {@code s[from, to)} with JSON escapes decoded; a backslash that escapes nothing
   * stays.
   */
  static String unescape(String s, int from, int to) {
    int bs = s.indexOf('\\', from);
    if (bs < 0 || bs >= to) return s.substring(from, to);
    StringBuilder b = new StringBuilder(to - from);
    b.append(s, from, bs);
    for (int k = bs; k < to; k++) {
      char c = s.charAt(k);
      if (c != '\\' || k + 1 >= to) {
        b.append(c);
        continue;
      }
      char e = s.charAt(++k);
      switch (e) {
        case 'n' -> b.append('\n');
        case 't' -> b.append('\t');
        case 'r' -> b.append('\r');
        case 'b' -> b.append('\b');
        case 'f' -> b.append('\f');
        case '"', '\\', '/', '\'' -> b.append(e);
        case 'u' -> {
          int code = k + 4 < to ? JsonChars.hex4(s, k + 1) : -1;
          if (code < 0) {
            b.append('\\').append('u');
          } else {
            b.append((char) code);
            k += 4;
          }
        }
        default -> b.append('\\').append(e); // not an escape: keep the text as written (C:\Users)
      }
    }
    return b.toString();
  }
}
