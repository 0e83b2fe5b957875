package dev.gkr.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The models the simulator lists and describes ({@code GET models}, {@code GET models/{model}}).
 */
final class Models {
  private static final ObjectMapper JSON = SimJson.MAPPER;
  static final List<String> NAMES =
      List.of(
          "gemini-2.5-flash",
          "gemini-2.5-pro",
          "gemini-2.5-flash-lite",
          "gemini-2.0-flash",
          "gemini-2.0-flash-lite",
          "gemini-3-pro-preview",
          "gemini-3-flash-preview",
          "gemini-flash-latest",
          "gemini-flash-lite-latest",
          "gemini-pro-latest");

  private Models() {}

  static JsonNode list() {
    ObjectNode root = JSON.createObjectNode();
    ArrayNode models = root.putArray("models");
    for (String n : NAMES) models.add(describe(n));
    return root;
  }

  static JsonNode get(String name) {
    String bare = name.startsWith("models/") ? name.substring(7) : name;
    if (!NAMES.contains(bare))
      return Envelopes.error(
          404, "NOT_FOUND", "models/" + bare + " is not found for API version v1beta.");
    return describe(bare);
  }

  private static ObjectNode describe(String name) {
    ObjectNode m = JSON.createObjectNode();
    m.put("name", "models/" + name)
        .put("version", "001")
        .put("displayName", "Gemini " + name.substring(7) + " (simulated)");
    m.put("description", "The gkr simulator's stand-in for " + name);
    m.put("inputTokenLimit", 1_048_576).put("outputTokenLimit", 65_536);
    m.putArray("supportedGenerationMethods")
        .add("generateContent")
        .add("countTokens")
        .add("streamGenerateContent");
    m.put("temperature", 1.0).put("topP", 0.95).put("topK", 64);
    return m;
  }
}
