package dev.gkr.internal.request;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.genai.types.HarmBlockThreshold;
import com.google.genai.types.SafetySetting;
import com.google.genai.types.ThinkingLevel;
import dev.gkr.internal.common.Json;
import dev.gkr.internal.config.Settings;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The generation settings of a {@link Rotator}, set one by one (each checked at once, naming the
 * bad value) and turned by {@link #effective} into one generationConfig object: the {@code
 * config(json)} escape hatch first, every explicit setting over it. Not thread-safe: it belongs to
 * its builder.
 */
public final class GenerationOptions {
  private static final ObjectMapper JSON = Json.MAPPER;
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

  private ObjectNode config = JSON.createObjectNode();
  private Integer maxOutputTokens;
  private Double topP;
  private Integer topK;
  private Integer seed;
  private List<String> stopSequences;
  private Integer thinkingBudget;
  private String thinkingLevel;
  private final Map<String, String> safety = new LinkedHashMap<>();
  private boolean acceptTruncated;
  private long inlineLimit = TaskRequests.INLINE_LIMIT;

  /** Where relative {@code files} paths are read from: the working directory unless set. */
  private java.nio.file.Path filesDir = java.nio.file.Path.of("");

  public void inlineLimit(long bytes) {
    if (bytes < 0) throw new IllegalArgumentException("inlineLimit must be >= 0, was " + bytes);
    this.inlineLimit = bytes;
  }

  public long inlineLimit() {
    return inlineLimit;
  }

  public void filesDir(java.nio.file.Path dir) {
    java.util.Objects.requireNonNull(dir, "filesDir");
    if (!java.nio.file.Files.isDirectory(dir))
      throw new IllegalArgumentException("filesDir must be a directory, was " + dir);
    this.filesDir = dir.toAbsolutePath().normalize();
  }

  public java.nio.file.Path filesDir() {
    return filesDir;
  }

  public void config(String json) {
    if (json == null || json.isBlank())
      throw new IllegalArgumentException(
          "config must be a JSON object, was " + (json == null ? "null" : "blank"));
    this.config = GenerationConfig.parse(json, "config");
  }

  public void maxOutputTokens(int n) {
    if (n < 1) throw new IllegalArgumentException("maxOutputTokens must be >= 1, was " + n);
    this.maxOutputTokens = n;
  }

  public void topP(double p) {
    if (!(p >= 0 && p <= 1)) throw new IllegalArgumentException("topP must be in 0..1, was " + p);
    this.topP = p;
  }

  public void topK(int k) {
    if (k < 1) throw new IllegalArgumentException("topK must be >= 1, was " + k);
    this.topK = k;
  }

  public void seed(int seed) {
    this.seed = seed;
  }

  public void stopSequences(List<String> stops) {
    Objects.requireNonNull(stops, "stopSequences");
    if (stops.size() > 5)
      throw new IllegalArgumentException(
          "stopSequences takes at most 5 sequences (the API's limit), was " + stops.size());
    for (String s : stops)
      if (s == null || s.isEmpty())
        throw new IllegalArgumentException("stopSequences must not contain an empty sequence");
    this.stopSequences = List.copyOf(stops);
  }

  public void thinkingBudget(int budget) {
    if (budget < -1)
      throw new IllegalArgumentException(
          "thinkingBudget must be -1 (dynamic), 0 (off) or a number of tokens, was " + budget);
    if (thinkingLevel != null)
      throw new IllegalArgumentException(
          BOTH + " (thinkingLevel is already " + thinkingLevel + ")");
    this.thinkingBudget = budget;
  }

  public void thinkingLevel(String level) {
    String l = level == null ? "" : level.strip().toLowerCase(Locale.ROOT);
    if (!LEVELS.contains(l))
      throw new IllegalArgumentException(
          "thinkingLevel must be one of " + LEVELS + ", was " + level);
    if (thinkingBudget != null)
      throw new IllegalArgumentException(
          BOTH + " (thinkingBudget is already " + thinkingBudget + ")");
    this.thinkingLevel = l;
  }

  public void safety(String category, String threshold) {
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
              + usable(HarmBlockThreshold.Known.values())
              + ", was "
              + threshold);
    }
    safety.put(c, t);
  }

  public void acceptTruncated(boolean accept) {
    this.acceptTruncated = accept;
  }

  public boolean acceptTruncated() {
    return acceptTruncated;
  }

  /**
   * True when nothing was set here: the request (and the checkpoint hash) is exactly as before
   * issue 16.
   */
  public boolean isDefault() {
    return config.isEmpty()
        && maxOutputTokens == null
        && topP == null
        && topK == null
        && seed == null
        && stopSequences == null
        && thinkingBudget == null
        && thinkingLevel == null
        && safety.isEmpty();
  }

  /**
   * The generationConfig to send: {@code config(json)}, then every explicit setting, then
   * temperature and the JSON mode (which the builder also owns).
   *
   * @throws IllegalArgumentException when the result sets both thinkingBudget and thinkingLevel
   */
  public ObjectNode effective(Double temperature, Settings.JsonMode json) {
    ObjectNode g = config.deepCopy();
    if (maxOutputTokens != null) g.put("maxOutputTokens", maxOutputTokens);
    if (topP != null) g.put("topP", topP);
    if (topK != null) g.put("topK", topK);
    if (seed != null) g.put("seed", seed);
    if (stopSequences != null) {
      var arr = g.putArray("stopSequences");
      stopSequences.forEach(arr::add);
    }
    if (thinkingBudget != null || thinkingLevel != null) {
      ObjectNode t =
          g.has("thinkingConfig") && g.get("thinkingConfig").isObject()
              ? (ObjectNode) g.get("thinkingConfig")
              : g.putObject("thinkingConfig");
      if (thinkingBudget != null) t.put("thinkingBudget", thinkingBudget);
      if (thinkingLevel != null) t.put("thinkingLevel", thinkingLevel);
    }
    if (temperature != null) g.put("temperature", temperature);
    if (json.enabled()) {
      g.put("responseMimeType", "application/json");
      json.schema()
          .ifPresent(
              s -> {
                try {
                  g.set("responseJsonSchema", JSON.readTree(s));
                } catch (Exception e) {
                  throw new IllegalArgumentException(
                      "JSON schema is not valid JSON: " + e.getMessage(), e);
                }
              });
    }
    upperCaseThinkingLevel(g);
    GenerationConfig.requireThinkingNotBoth(g, "generation settings");
    return g;
  }

  /** The safety settings as the SDK types them, in the order they were given. */
  public List<SafetySetting> safetySettings() {
    List<SafetySetting> out = new ArrayList<>(safety.size());
    safety.forEach((c, t) -> out.add(SafetySetting.builder().category(c).threshold(t).build()));
    return List.copyOf(out);
  }

  /** The API's enum names (MINIMAL, LOW, ...) are what protobuf JSON reads everywhere. */
  static void upperCaseThinkingLevel(ObjectNode g) {
    if (g.get("thinkingConfig") instanceof ObjectNode t && t.path("thinkingLevel").isTextual()) {
      String l = t.get("thinkingLevel").asText().toUpperCase(Locale.ROOT);
      if (names(ThinkingLevel.Known.values()).contains(l)) t.put("thinkingLevel", l);
    }
  }

  private static List<String> names(Enum<?>[] values) {
    return java.util.Arrays.stream(values).map(Enum::name).toList();
  }

  private static List<String> usable(Enum<?>[] values) {
    return names(values).stream().filter(n -> !n.endsWith("_UNSPECIFIED")).toList();
  }
}
