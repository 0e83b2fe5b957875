package dev.gkr.internal.request;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.genai.types.SafetySetting;
import com.google.genai.types.ThinkingLevel;
import dev.gkr.Generation;
import dev.gkr.LocalFiles;
import dev.gkr.internal.common.Json;
import dev.gkr.internal.config.JsonMode;
import dev.gkr.internal.config.Settings;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The generationConfig a run sends, from its {@link Generation} settings: the {@code config(json)}
 * escape hatch first, every explicit setting over it, then temperature and JSON mode.
 */
public final class EffectiveConfig {
  private static final ObjectMapper JSON = Json.MAPPER;

  private EffectiveConfig() {}

  /**
   * @throws IllegalArgumentException when the result sets both thinkingBudget and thinkingLevel, or
   *     the JSON schema is not JSON
   */
  public static ObjectNode of(Generation g, Optional<Double> temperature, JsonMode json) {
    ObjectNode out =
        g.config().map(c -> GenerationConfig.parse(c, "config")).orElseGet(JSON::createObjectNode);
    g.maxOutputTokens().ifPresent(n -> out.put("maxOutputTokens", n));
    g.topP().ifPresent(p -> out.put("topP", p));
    g.topK().ifPresent(k -> out.put("topK", k));
    g.seed().ifPresent(s -> out.put("seed", s));
    if (!g.stopSequences().isEmpty()) {
      var arr = out.putArray("stopSequences");
      g.stopSequences().forEach(arr::add);
    }
    if (g.thinkingBudget().isPresent() || g.thinkingLevel().isPresent()) {
      ObjectNode t =
          out.get("thinkingConfig") instanceof ObjectNode existing
              ? existing
              : out.putObject("thinkingConfig");
      g.thinkingBudget().ifPresent(b -> t.put("thinkingBudget", b));
      g.thinkingLevel().ifPresent(l -> t.put("thinkingLevel", l));
    }
    temperature.ifPresent(t -> out.put("temperature", t));
    if (json.enabled()) {
      out.put("responseMimeType", "application/json");
      if (json.schema().isPresent()) {
        try {
          out.set("responseJsonSchema", JSON.readTree(json.schema().get()));
        } catch (Exception e) {
          throw new IllegalArgumentException("JSON schema is not valid JSON: " + e.getMessage(), e);
        }
      }
    }
    upperCaseThinkingLevel(out);
    GenerationConfig.requireThinkingNotBoth(out, "generation settings");
    return out;
  }

  /**
   * The request part of a run's settings: generation, safety, files, the inline limit and the
   * shared context files.
   */
  public static Settings.RequestSettings request(
      Generation g,
      Optional<Double> temperature,
      JsonMode json,
      LocalFiles files,
      long inline,
      List<Path> context,
      dev.gkr.internal.cost.CacheMode cache) {
    return new Settings.RequestSettings(
        of(g, temperature, json),
        safety(g),
        g.acceptTruncated(),
        g.isDefault(),
        inline,
        files.filesDir(),
        files.filesRoot(),
        context,
        cache);
  }

  /** The safety settings as the SDK types them, in the order they were given. */
  public static List<SafetySetting> safety(Generation g) {
    List<SafetySetting> out = new ArrayList<>(g.safety().size());
    g.safety().forEach((c, t) -> out.add(SafetySetting.builder().category(c).threshold(t).build()));
    return List.copyOf(out);
  }

  /** The API's enum names (MINIMAL, LOW, ...) are what protobuf JSON reads everywhere. */
  static void upperCaseThinkingLevel(ObjectNode g) {
    if (g.get("thinkingConfig") instanceof ObjectNode t && t.path("thinkingLevel").isTextual()) {
      String l = t.get("thinkingLevel").asText().toUpperCase(Locale.ROOT);
      if (GenerationChecks.names(ThinkingLevel.Known.values()).contains(l))
        t.put("thinkingLevel", l);
    }
  }
}
