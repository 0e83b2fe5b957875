package dev.gkr.internal.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gkr.internal.common.Json;

/** Parses a model's JSON answer, repairing the usual breakage first (see {@link JsonRepair}). */
public final class JsonAnswers {
  private static final ObjectMapper JSON = Json.MAPPER;

  /** Compact JSON text when {@code ok}; otherwise why it could not be read. */
  public record Parsed(boolean ok, String json, String error) {}

  private JsonAnswers() {}

  public static Parsed parse(String text) {
    return parse(text, false);
  }

  /**
   * As {@link #parse(String)}; {@code cutOff} (finish reason MAX_TOKENS) refuses an incomplete
   * value.
   */
  public static Parsed parse(String text, boolean cutOff) {
    try {
      JsonNode n = JsonRepair.repair(text, cutOff);
      return new Parsed(true, JSON.writeValueAsString(n), "");
    } catch (JsonRepair.RepairException | java.io.IOException | RuntimeException e) {
      return new Parsed(false, "", "answer is not JSON: " + e.getMessage());
    }
  }
}
