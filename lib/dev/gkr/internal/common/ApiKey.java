package dev.gkr.internal.common;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * An API key and how it may be shown. {@link #toString()} and {@link #display()} never reveal the
 * secret: a label plus the last four characters (none for keys shorter than 16 characters, which
 * would show too much).
 */
public final class ApiKey {
  private final String secret;
  private final String label;
  private final int index;
  private final String display;

  public ApiKey(String secret, String label, int index) {
    this.secret = Objects.requireNonNull(secret, "key");
    this.label = label;
    this.index = index;
    this.display = label + "…" + tail(secret);
  }

  public String secret() {
    return secret;
  }

  public int index() {
    return index;
  }

  String label() {
    return label;
  }

  /** e.g. {@code key-3…9kQz}. */
  public String display() {
    return display;
  }

  /**
   * Why {@code secret} cannot be a Gemini API key, if it cannot: Gemini keys hold only ASCII
   * letters, digits, {@code -} and {@code _} (a dot is let through for proxies' tokens). Anything
   * else (a space, {@code !}, {@code €}) either cannot travel in an HTTP header or is refused by
   * Google, and was seen failing every request as a "connection" error, so it is caught before the
   * first one. The message names the character and its position, never the key.
   */
  public static Optional<String> problem(String secret) {
    for (int i = 0; i < secret.length(); ) {
      int c = secret.codePointAt(i);
      if (!allowed(c)) {
        String shown =
            c > 0x20 && c < 0x7F ? "'" + Character.toString(c) + "'" : "a " + describe(c);
        return Optional.of(
            "has "
                + shown
                + " at character "
                + (secret.codePointCount(0, i) + 1)
                + ": a Gemini API key holds only letters, digits, '-' and '_'");
      }
      i += Character.charCount(c);
    }
    return Optional.empty();
  }

  /**
   * {@code keys} stripped, without blanks and repeats, in order; throws naming the position ({@code
   * keys(...): key 2 of 3}) of the first that cannot be a key.
   */
  public static List<String> distinctWellFormed(List<String> keys) {
    LinkedHashSet<String> unique = new LinkedHashSet<>();
    int position = 0;
    for (String k : keys) {
      position++;
      if (k == null || k.isBlank()) continue;
      String key = k.strip();
      requireWellFormed(key, "keys(...): key " + position + " of " + keys.size());
      unique.add(key);
    }
    return List.copyOf(unique);
  }

  /** The keys labelled {@code key-1}, {@code key-2}, ... in order. */
  public static List<ApiKey> labelled(List<String> keys) {
    List<ApiKey> out = new java.util.ArrayList<>(keys.size());
    for (int i = 0; i < keys.size(); i++) out.add(new ApiKey(keys.get(i), "key-" + (i + 1), i));
    return List.copyOf(out);
  }

  /** The project of each key in order; a key in none is a project of its own ({@code key-N}). */
  public static List<String> projects(List<String> keys, java.util.Map<String, String> projectOf) {
    List<String> out = new java.util.ArrayList<>(keys.size());
    for (int i = 0; i < keys.size(); i++)
      out.add(projectOf.getOrDefault(keys.get(i), "key-" + (i + 1)));
    return List.copyOf(out);
  }

  /** Throws if {@code secret} cannot be a key; {@code which} says which key, e.g. "key 2 of 3". */
  public static void requireWellFormed(String secret, String which) {
    problem(secret).ifPresent(p -> refuse(which + " " + p));
  }

  /** Throws {@code IllegalArgumentException} with {@code problem} and what to do about it. */
  public static void refuse(String problem) {
    throw new IllegalArgumentException(problem + "; check for a stray character");
  }

  private static boolean allowed(int c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '-'
        || c == '_'
        || c == '.';
  }

  private static String describe(int c) {
    if (Character.isWhitespace(c) || Character.isSpaceChar(c))
      return String.format(Locale.ROOT, "blank (U+%04X)", c);
    if (Character.isISOControl(c))
      return String.format(Locale.ROOT, "control character (U+%04X)", c);
    return String.format(Locale.ROOT, "'%s' (U+%04X)", Character.toString(c), c);
  }

  static String tail(String secret) {
    return secret.length() >= 16 ? secret.substring(secret.length() - 4) : "";
  }

  @Override
  public String toString() {
    return display();
  }

  /** The keys of {@code Rotator.project(name, keys...)}, stripped, each checked and named. */
  public static List<String> projectKeys(String name, String... projectKeys) {
    if (name == null || name.isBlank())
      throw new IllegalArgumentException("project name must not be blank");
    if (projectKeys == null || projectKeys.length == 0)
      throw new IllegalArgumentException("project " + name + " needs at least one key");
    List<String> out = new java.util.ArrayList<>();
    for (int i = 0; i < projectKeys.length; i++) {
      String k = projectKeys[i];
      if (k == null || k.isBlank())
        throw new IllegalArgumentException("project " + name + ": blank key");
      String key = k.strip();
      requireWellFormed(key, "project(\"" + name.strip() + "\", ...): its key " + (i + 1));
      out.add(key);
    }
    return out;
  }
}
