package dev.gkr.internal.request;

import com.google.genai.types.HarmBlockThreshold;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The checks of each generation setting as it is given ({@code Generation.Builder}), naming the bad
 * value; each returns the value in the form the request sends.
 */
public final class GenerationChecks {
  private static final List<String> LEVELS = List.of("minimal", "low", "medium", "high");

  /**
   * The categories the Gemini API (v1beta) takes; the SDK's enum also lists Vertex-only ones
   * (JAILBREAK, IMAGE_*), which the API would refuse with a 400 on every request.
   */
  private static final List<String> CATEGORIES =
      List.of(
          "HARM_CATEGORY_HARASSMENT",
          "HARM_CATEGORY_HATE_SPEECH",
          "HARM_CATEGORY_SEXUALLY_EXPLICIT",
          "HARM_CATEGORY_DANGEROUS_CONTENT",
          "HARM_CATEGORY_CIVIC_INTEGRITY");

  private static final String BOTH =
      "thinkingBudget and thinkingLevel cannot both be set: the API refuses that (400); "
          + "use thinkingBudget for 2.5 models and thinkingLevel for 3.x models";

  private GenerationChecks() {}

  public static List<String> stopSequences(List<String> stops) {
    Objects.requireNonNull(stops, "stopSequences");
    if (stops.size() > 5)
      throw new IllegalArgumentException(
          "stopSequences takes at most 5 sequences (the API's limit), was " + stops.size());
    for (String s : stops)
      if (s == null || s.isEmpty())
        throw new IllegalArgumentException("stopSequences must not contain an empty sequence");
    return List.copyOf(stops);
  }

  /** {@code level}: the thinking level already set, or null. */
  public static void thinkingBudget(int budget, String level) {
    if (budget < -1)
      throw new IllegalArgumentException(
          "thinkingBudget must be -1 (dynamic), 0 (off) or a number of tokens, was " + budget);
    if (level != null)
      throw new IllegalArgumentException(BOTH + " (thinkingLevel is already " + level + ")");
  }

  /** {@code budget}: the thinking budget already set, or null. Returns the level in lower case. */
  public static String thinkingLevel(String level, Integer budget) {
    String l = level == null ? "" : level.strip().toLowerCase(Locale.ROOT);
    if (!LEVELS.contains(l))
      throw new IllegalArgumentException(
          "thinkingLevel must be one of " + LEVELS + ", was " + level);
    if (budget != null)
      throw new IllegalArgumentException(BOTH + " (thinkingBudget is already " + budget + ")");
    return l;
  }

  /** The category (with its {@code HARM_CATEGORY_} prefix) and threshold, as the API names them. */
  public static Map.Entry<String, String> safety(String category, String threshold) {
    String c = category == null ? "" : category.strip().toUpperCase(Locale.ROOT).replace('-', '_');
    if (!c.startsWith("HARM_CATEGORY_")) c = "HARM_CATEGORY_" + c;
    String t =
        threshold == null ? "" : threshold.strip().toUpperCase(Locale.ROOT).replace('-', '_');
    if (!CATEGORIES.contains(c))
      throw new IllegalArgumentException(
          "safety category must be one of " + CATEGORIES + ", was " + category);
    if (!names(HarmBlockThreshold.Known.values()).contains(t) || t.endsWith("_UNSPECIFIED")) {
      throw new IllegalArgumentException(
          "safety threshold must be one of "
              + names(HarmBlockThreshold.Known.values()).stream()
                  .filter(n -> !n.endsWith("_UNSPECIFIED"))
                  .toList()
              + ", was "
              + threshold);
    }
    return Map.entry(c, t);
  }

  /** The generationConfig JSON, checked field by field ({@link GenerationConfig#parse}). */
  public static String config(String json) {
    if (json == null || json.isBlank())
      throw new IllegalArgumentException(
          "config must be a JSON object, was " + (json == null ? "null" : "blank"));
    return GenerationConfig.canonical(GenerationConfig.parse(json, "config"));
  }

  static List<String> names(Enum<?>[] values) {
    return Arrays.stream(values).map(Enum::name).toList();
  }
}
