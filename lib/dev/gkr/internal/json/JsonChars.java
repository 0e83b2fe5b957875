package dev.gkr.internal.json;

/**
 * Character classes and short look-aheads over model-written JSON, shared by {@link LenientJson}
 * and {@link JsonRepair}.
 */
final class JsonChars {
  private JsonChars() {}

  static boolean isSpace(char c) {
    return c == ' '
        || c == '\n'
        || c == '\r'
        || c == '\t'
        || (c > 127 && (Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\uFEFF'));
  }

  static boolean isQuote(char c) {
    return isDoubleQuote(c) || c == '\'' || c == '`' || c == '\u2018' || c == '\u2019';
  }

  /** {@code "} and the typographic double quotes models sometimes print ({@code “ ” „}). */
  static boolean isDoubleQuote(char c) {
    return c == '"' || c == '\u201C' || c == '\u201D' || c == '\u201E';
  }

  /**
   * Whether {@code c} can close a string opened with {@code open}: the same quote, or one of its
   * typographic kin.
   */
  static boolean closes(char open, char c) {
    return switch (open) {
      case '"' -> c == '"';
      case '\'' -> c == '\'';
      case '`' -> c == '`';
      case '\u201C', '\u201D', '\u201E' -> c == '\u201D' || c == '\u201C' || c == '"';
      default -> c == '\u2019' || c == '\u2018' || c == '\'';
    };
  }

  static boolean isCloser(char c) {
    return c == '}' || c == ']' || c == ')';
  }

  static boolean isOpener(char c) {
    return c == '{' || c == '[' || c == '(';
  }

  static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /** Whether a value can start with {@code c} (used where a colon is missing: {@code {"a" 1}}). */
  static boolean startsValue(char c) {
    return c == '{'
        || c == '['
        || isQuote(c)
        || isDigit(c)
        || c == '-'
        || c == '.'
        || Character.isLetter(c);
  }

  static int skipBlank(String s, int k, int n) {
    while (k < n && isSpace(s.charAt(k))) k++;
    return k;
  }

  /** Skips blanks and complete comments ({@code //}, {@code #}, {@code /* *}{@code /}). */
  static int skipBlankAndComments(String s, int k, int n) {
    while (true) {
      k = skipBlank(s, k, n);
      if (k < n && (s.charAt(k) == '#' || s.startsWith("//", k))) {
        int nl = s.indexOf('\n', k);
        if (nl < 0 || nl >= n) return k;
        k = nl + 1;
      } else if (k < n && s.startsWith("/*", k)) {
        int e = s.indexOf("*/", k + 2);
        if (e < 0 || e + 2 > n) return k;
        k = e + 2;
      } else {
        return k;
      }
    }
  }

  /**
   * Where unquoted text starting at {@code start} ends: at the next delimiter (a comma, a line end,
   * a bracket or brace, a double quote, a comment after a blank, and ')' inside a tuple; elsewhere
   * ')' is part of the word: a smiley or an aside).
   */
  static int runEnd(String s, int start, int n, boolean inTuple) {
    int k = start;
    while (k < n) {
      char c = s.charAt(k);
      if (c == ','
          || c == '\n'
          || c == '\r'
          || c == '}'
          || c == ']'
          || c == '{'
          || c == '['
          || isDoubleQuote(c)) break;
      if (c == ')' && inTuple) break;
      if (k > start
          && Character.isWhitespace(s.charAt(k - 1))
          && (c == '#'
              || (c == '/' && k + 1 < n && (s.charAt(k + 1) == '/' || s.charAt(k + 1) == '*'))))
        break;
      k++;
    }
    return k;
  }

  /**
   * Where an unquoted key starting at {@code k} ends: at ':', ',', a line end, a bracket or quote.
   */
  static int unquotedKeyEnd(String s, int k, int n) {
    while (k < n) {
      char d = s.charAt(k);
      if (d == ':' || d == ',' || d == '\n' || isOpener(d) || isCloser(d) || isQuote(d)) break;
      k++;
    }
    return k;
  }

  /** The index after an ellipsis ({@code ...}, more dots, or {@code …}) at {@code k}, else k. */
  static int afterEllipsis(String s, int k, int n) {
    if (s.startsWith("...", k)) {
      k += 3;
      while (k < n && s.charAt(k) == '.') k++;
      return k;
    }
    return k < n && s.charAt(k) == '\u2026' ? k + 1 : k;
  }

  /**
   * Where a line comment whose text starts at {@code from} ends: after its line. One that runs to
   * the end of the text ends before its first closer, if any, when inside a container ({@code {"a":
   * {"b": 1 # note }, "c": 2}} on one line): read to the end, it would swallow the structure after
   * it and leave a truncated value, a reading no one intends.
   */
  static int lineCommentEnd(String s, int from, int n, boolean inContainer) {
    for (int k = from; k < n; k++) if (s.charAt(k) == '\n') return k + 1;
    if (inContainer) for (int k = from; k < n; k++) if (isCloser(s.charAt(k))) return k;
    return n;
  }

  /** The last non-space character of {@code s[0, n)}, or {@code '\0'}. */
  static char lastBefore(String s, int n) {
    int k = skipBack(s, n);
    return k == 0 ? '\0' : s.charAt(k - 1);
  }

  /** Index after the last non-space character of {@code s[0, n)}. */
  static int skipBack(String s, int n) {
    while (n > 0 && isSpace(s.charAt(n - 1))) n--;
    return n;
  }

  static int indexOfSpace(String s) {
    for (int k = 0; k < s.length(); k++) if (isSpace(s.charAt(k))) return k;
    return -1;
  }

  static int hex4(String s, int k) {
    int v = 0;
    for (int m = k; m < k + 4; m++) {
      int d = Character.digit(s.charAt(m), 16);
      if (d < 0) return -1;
      v = v * 16 + d;
    }
    return v;
  }

  private static boolean hasNewline(String s, int from, int to) {
    for (int k = from; k < to; k++) if (s.charAt(k) == '\n') return true;
    return false;
  }

  /** Whether a colon follows {@code k}, after blanks. */
  static boolean colonFollows(String s, int k, int n) {
    k = skipBlank(s, k, n);
    return k < n && s.charAt(k) == ':';
  }

  /** Whether a key and its colon start at {@code k}: {@code "name":} or {@code name:}. */
  static boolean keyFollows(String s, int k, int n) {
    if (k >= n) return false;
    char q = s.charAt(k);
    if (isQuote(q)) {
      for (int m = k + 1; m < n; m++) {
        char c = s.charAt(m);
        if (c == '\n') return false;
        if (c == '\\') m++;
        else if (closes(q, c)) return colonFollows(s, m + 1, n);
      }
      return false;
    }
    int m = k;
    while (m < n
        && (Character.isLetterOrDigit(s.charAt(m))
            || s.charAt(m) == '_'
            || s.charAt(m) == '$'
            || s.charAt(m) == '-')) m++;
    return m > k && colonFollows(s, m, n);
  }

  /**
   * A bare word that is a whole element: {@code b} in {@code ['a', b]}, not {@code then} in {@code
   * then left"]}.
   */
  private static boolean wordElementFollows(String s, int k, int n) {
    int m = k;
    while (m < n
        && (Character.isLetterOrDigit(s.charAt(m))
            || s.charAt(m) == '_'
            || s.charAt(m) == '$'
            || s.charAt(m) == '-'
            || s.charAt(m) == '.')) m++;
    if (m == k) return false;
    while (m < n && (s.charAt(m) == ' ' || s.charAt(m) == '\t')) m++;
    return m >= n
        || s.charAt(m) == ','
        || s.charAt(m) == '\n'
        || s.charAt(m) == '\r'
        || isCloser(s.charAt(m));
  }

  /**
   * Whether the quote just before {@code k} ends a value string inside a container closed by {@code
   * closer} ('}' for an object member, ']' or ')' for an element): what follows must read as the
   * container's next part (the end, a closer, a comment, a '+' joining strings, a comma and the
   * next key or element, or the next key where a comma was left out).
   */
  static boolean endsValue(String s, int k, int n, char closer) {
    int m = skipBlank(s, k, n);
    if (m >= n) return true;
    char c = s.charAt(m);
    if (isCloser(c)) return true;
    if (c == '+') {
      int q = skipBlank(s, m + 1, n);
      return q < n && isQuote(s.charAt(q));
    }
    if (c == '/'
        && m + 1 < n
        && (s.charAt(m + 1) == '/' || (s.charAt(m + 1) == '*' && s.indexOf("*/", m + 2) >= 0)))
      return true;
    if (c == '#' && m > k) return true;
    if (c == ',') {
      int r = skipBlank(s, m + 1, n);
      if (r >= n || hasNewline(s, m + 1, r)) return true;
      char d = s.charAt(r);
      if (isCloser(d)
          || d == ','
          || d == '/'
          || d == '#'
          || d == '\u2026'
          || s.startsWith("...", r)) return true;
      if (closer == '}') return keyFollows(s, r, n);
      return isQuote(d)
          || d == '{'
          || d == '['
          || d == '('
          || d == '-'
          || isDigit(d)
          || wordElementFollows(s, r, n);
    }
    boolean newline = hasNewline(s, k, m);
    if (closer == '}')
      return (isQuote(c) || newline) && keyFollows(s, m, n); // a comma left out before the next key
    // ["a" "b"], or one element a line: a comma left out between elements
    return (isQuote(c) && m > k)
        || (newline
            && (isQuote(c)
                || isOpener(c)
                || isDigit(c)
                || c == '-'
                || wordElementFollows(s, m, n)));
  }

  /**
   * Whether the quote at {@code k} stands among words, as a quote a model forgot to escape does
   * ({@code Lorem "ipsum" s}, {@code "hi", then}), rather than next to structure ({@code "x","y"},
   * {@code "a":}).
   */
  static boolean inWord(String s, int k, int n) {
    char before = k > 0 ? s.charAt(k - 1) : ' ';
    char after = k + 1 < n ? s.charAt(k + 1) : ' ';
    if (structural(before)) return false;
    if (after == ',' || after == '.' || after == ';' || after == '!' || after == '?') {
      return k + 3 < n
          && s.charAt(k + 2) == ' '
          && Character.isLetter(s.charAt(k + 3)); // "hi", then
    }
    return !structural(after);
  }

  private static boolean structural(char c) {
    return c == ','
        || c == ':'
        || c == '\n'
        || c == '\r'
        || isOpener(c)
        || isCloser(c)
        || isQuote(c);
  }

  /** Whether a line break lies between {@code k} and the token before it. */
  static boolean newlineBefore(String s, int k) {
    for (int m = k - 1; m >= 0 && isSpace(s.charAt(m)); m--) if (s.charAt(m) == '\n') return true;
    return false;
  }

  /** Whether the quote at {@code k} is the last or first thing on its line (blanks aside). */
  static boolean atLineEdge(String s, int k, int n) {
    int m = k + 1;
    while (m < n && (s.charAt(m) == ' ' || s.charAt(m) == '\t')) m++;
    if (m < n && (s.charAt(m) == '\n' || s.charAt(m) == '\r')) return true;
    m = k - 1;
    while (m >= 0 && (s.charAt(m) == ' ' || s.charAt(m) == '\t')) m--;
    return m >= 0 && s.charAt(m) == '\n';
  }
}
