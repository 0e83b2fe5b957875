package dev.gkr.sim;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * How the simulator applies a request's generation settings to an answer, as the real API does:
 * thinking tokens from thinkingBudget / thinkingLevel (and 400 when both are set), stop sequences,
 * maxOutputTokens (thinking counts against it; the answer is cut and finishReason is MAX_TOKENS),
 * safety thresholds.
 */
final class Generation {
  /** What was generated: the text sent, why it ended, and the thinking tokens spent. */
  record Shaped(String text, String finishReason, int thoughtsTokens) {}

  private static final Set<String> CATEGORIES =
      Set.of(
          "HARM_CATEGORY_HARASSMENT",
          "HARM_CATEGORY_HATE_SPEECH",
          "HARM_CATEGORY_SEXUALLY_EXPLICIT",
          "HARM_CATEGORY_DANGEROUS_CONTENT",
          "HARM_CATEGORY_CIVIC_INTEGRITY");
  private static final Set<String> THRESHOLDS =
      Set.of(
          "BLOCK_LOW_AND_ABOVE",
          "BLOCK_MEDIUM_AND_ABOVE",
          "BLOCK_ONLY_HIGH",
          "BLOCK_NONE",
          "OFF",
          "HARM_BLOCK_THRESHOLD_UNSPECIFIED");
  private static final List<String> LEVELS = List.of("MINIMAL", "LOW", "MEDIUM", "HIGH");

  private Generation() {}

  /** The API's 400 message for a request it would refuse, or null. */
  static String invalid(String model, Request req) {
    JsonNode t = req.generationConfig().path("thinkingConfig");
    if (t.has("thinkingBudget") && t.has("thinkingLevel")) {
      return "Only one of thinking_budget and thinking_level may be set.";
    }
    if (t.has("thinkingLevel")
        && !LEVELS.contains(t.get("thinkingLevel").asText().toUpperCase(Locale.ROOT))) {
      return "Invalid value at 'generation_config.thinking_config.thinking_level', \""
          + t.get("thinkingLevel").asText()
          + "\"";
    }
    if (t.path("thinkingBudget").asInt(-1) == 0 && model.contains("-pro")) {
      return "Budget 0 is invalid. This model only works in thinking mode.";
    }
    JsonNode max = req.generationConfig().path("maxOutputTokens");
    if (!max.isMissingNode() && max.asInt() < 1) return "max_output_tokens must be positive.";
    if (req.generationConfig().path("stopSequences").size() > 5)
      return "stop_sequences must have at most 5 entries.";
    for (JsonNode s : req.safetySettings()) {
      String c = Request.field(s, "category").asText("");
      String th = Request.field(s, "threshold").asText("");
      if (!CATEGORIES.contains(c))
        return "Invalid value at 'safety_settings[0].category', \"" + c + "\"";
      if (!THRESHOLDS.contains(th))
        return "Invalid value at 'safety_settings[0].threshold', \"" + th + "\"";
    }
    return null;
  }

  /**
   * Thinking tokens: models named 2.5 or 3 think by default ({@code 200 + 2 x prompt tokens});
   * others never.
   */
  static int thoughts(String model, Request req, int promptTokens) {
    boolean thinks = model.contains("2.5") || model.contains("gemini-3");
    if (!thinks) return 0;
    int dynamic = 200 + 2 * promptTokens;
    JsonNode t = req.generationConfig().path("thinkingConfig");
    if (t.has("thinkingBudget")) {
      int b = t.get("thinkingBudget").asInt();
      return b < 0 ? dynamic : Math.min(b, dynamic);
    }
    if (t.has("thinkingLevel")) {
      return switch (t.get("thinkingLevel").asText().toUpperCase(Locale.ROOT)) {
        case "MINIMAL" -> dynamic / 8;
        case "LOW" -> dynamic / 4;
        case "MEDIUM" -> dynamic / 2;
        default -> dynamic;
      };
    }
    return dynamic;
  }

  /** Applies stop sequences, then maxOutputTokens (shared with thinking), to a whole answer. */
  static Shaped shape(String model, Request req, String text, int promptTokens) {
    int thoughts = thoughts(model, req, promptTokens);
    for (JsonNode s : req.generationConfig().path("stopSequences")) {
      int at = s.asText().isEmpty() ? -1 : text.indexOf(s.asText());
      if (at >= 0) text = text.substring(0, at);
    }
    JsonNode max = req.generationConfig().path("maxOutputTokens");
    if (max.isMissingNode()) return new Shaped(text, "STOP", thoughts);
    int limit = max.asInt();
    if (thoughts >= limit) return new Shaped("", "MAX_TOKENS", limit);
    int room = limit - thoughts;
    if (SimText.tokens(text) <= room) return new Shaped(text, "STOP", thoughts);
    return new Shaped(cut(text, room * 4), "MAX_TOKENS", thoughts);
  }

  /** The first {@code bytes} UTF-8 bytes of {@code s}, never splitting a character. */
  private static String cut(String s, int bytes) {
    int used = 0;
    int i = 0;
    while (i < s.length()) {
      int cp = s.codePointAt(i);
      int len = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
      if (used + len > bytes) break;
      used += len;
      i += Character.charCount(cp);
    }
    return s.substring(0, i);
  }

  /**
   * Whether an answer rated {@code probability} (LOW, MEDIUM, HIGH) in {@code category} is blocked
   * under the request's safety settings; unset categories block MEDIUM and above, as the API's
   * default.
   */
  static boolean blocked(Request req, String category, String probability) {
    String threshold = "BLOCK_MEDIUM_AND_ABOVE";
    for (JsonNode s : req.safetySettings()) {
      if (category.equals(Request.field(s, "category").asText()))
        threshold = Request.field(s, "threshold").asText();
    }
    int p = List.of("NEGLIGIBLE", "LOW", "MEDIUM", "HIGH").indexOf(probability);
    return switch (threshold) {
      case "BLOCK_LOW_AND_ABOVE" -> p >= 1;
      case "BLOCK_ONLY_HIGH" -> p >= 3;
      case "BLOCK_NONE", "OFF" -> false;
      default -> p >= 2;
    };
  }
}
