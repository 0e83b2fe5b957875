package dev.gkr.internal.common;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The environment variables that hold API keys, read the same way by {@code Rotator.fromEnv()} and
 * the command line: the first of {@link #NAMES} that is set, split at commas, blanks and repeats
 * dropped.
 */
public final class KeyVariables {
  public static final List<String> NAMES =
      List.of("GEMINI_API_KEYS", "GEMINI_API_KEY", "GOOGLE_API_KEY");

  private KeyVariables() {}

  /** The keys in {@code env}; empty when none of {@link #NAMES} is set. */
  public static List<String> read(Map<String, String> env) {
    for (String var : NAMES) {
      String v = env.get(var);
      if (v == null || v.isBlank()) continue;
      LinkedHashSet<String> unique = new LinkedHashSet<>();
      for (String k : v.split(",")) if (!k.isBlank()) unique.add(k.strip());
      if (!unique.isEmpty()) return List.copyOf(unique);
    }
    return List.of();
  }

  /**
   * What is wrong with the keys {@link #read} would return, if one cannot be a key: the variable,
   * the key's position in it and the bad character (see {@link ApiKey#problem}), never the key.
   */
  public static Optional<String> problem(Map<String, String> env) {
    for (String var : NAMES) {
      String v = env.get(var);
      if (v == null || v.isBlank()) continue;
      String[] parts = v.split(",");
      int position = 0;
      for (String k : parts) {
        if (k.isBlank()) continue;
        position++;
        Optional<String> p = ApiKey.problem(k.strip());
        if (p.isPresent()) return Optional.of(var + ": key " + position + " " + p.get());
      }
      return Optional.empty();
    }
    return Optional.empty();
  }

  /**
   * The keys in {@code env}, checked.
   *
   * @throws IllegalArgumentException for a malformed key, or when there are none
   */
  public static List<String> required(Map<String, String> env) {
    problem(env).ifPresent(ApiKey::refuse);
    List<String> keys = read(env);
    if (keys.isEmpty())
      throw new IllegalArgumentException("no API keys in the environment: set one of " + NAMES);
    return keys;
  }
}
