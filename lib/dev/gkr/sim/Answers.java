package dev.gkr.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The simulator's deterministic answers: the same prompt and settings always give the same text.
 */
final class Answers {
  private static final ObjectMapper JSON = SimJson.MAPPER;
  private static final int ECHO_CHARS = 120;

  private Answers() {}

  /**
   * Plain-text answer; carries a digest of the prompt so a caller can tell which task it belongs
   * to.
   */
  static String text(String prompt, String system, Double temperature) {
    return text(prompt, system, temperature, null, java.util.List.of());
  }

  /**
   * With a seed, the answer also carries a digest of prompt and seed: the same seed gives the same
   * answer, another seed another one. Files are listed by type and size, so a caption names what it
   * saw.
   */
  static String text(
      String prompt,
      String system,
      Double temperature,
      Integer seed,
      java.util.List<SimPart> files) {
    StringBuilder about = new StringBuilder(prompt);
    for (SimPart f : files)
      about.append('\u0000').append(f.digest()); // another image, another answer
    StringBuilder sb =
        new StringBuilder("Answer ")
            .append(digest(about.toString()))
            .append(": ")
            .append(echo(prompt));
    if (system != null && !system.isBlank())
      sb.append(" (system: ").append(echo(system)).append(')');
    if (temperature != null) sb.append(" [t=").append(temperature).append(']');
    if (seed != null)
      sb.append(" [seed ")
          .append(seed)
          .append(": ")
          .append(digest(prompt + "\u0000" + seed))
          .append(']');
    if (!files.isEmpty()) {
      sb.append(" [files:");
      for (SimPart f : files)
        sb.append(' ')
            .append(f.mimeType().isEmpty() ? "file" : f.mimeType())
            .append(' ')
            .append(f.bytes())
            .append(" B");
      sb.append(']');
    }
    return sb.toString();
  }

  /**
   * A JSON object about the prompt; follows {@code schema} when one is given ({@link
   * SchemaAnswers}).
   */
  static JsonNode json(String prompt, JsonNode schema) {
    if (schema != null
        && (schema.has("properties")
            || schema.has("$ref")
            || schema.has("anyOf")
            || schema.has("oneOf")
            || "array".equals(schema.path("type").asText())))
      return SchemaAnswers.answer(schema, prompt, echo(prompt));
    String[] words = prompt.trim().split("\\s+");
    String digest = digest(prompt);
    int bits = topBits(prompt);
    ObjectNode out = JSON.createObjectNode();
    out.put("digest", digest);
    out.put("topic", words[0]);
    out.put("words", words.length);
    out.put("chars", prompt.length());
    out.put("positive", (bits & 1) == 0);
    out.put("score", (bits % 1000) / 100.0);
    return out;
  }

  /** Breaks valid compact JSON in one of the ways models do; {@code variant} picks the way. */
  static String malformed(String json, int variant) {
    return switch (Math.floorMod(variant, MALFORMED_VARIANTS)) {
      case 0 -> "```json\n" + json + "\n```";
      case 1 -> json.substring(0, json.length() - 1) + ",}";
      case 2 -> json.replace('"', '\'');
      case 3 -> json.replaceAll("\"([A-Za-z_][A-Za-z0-9_]*)\":", "$1:");
      case 4 ->
          "Sure! Here is the JSON you asked for:\n"
              + json
              + "\nLet me know if you need anything else.";
      case 5 -> json.substring(0, json.length() - 1);
      case 6 -> json.replace("true", "True").replace("false", "False");
      case 7 -> "{\n  // generated\n" + json.substring(1);
      default -> "I'm sorry, but I can't provide that in JSON.";
    };
  }

  /** Number of distinct breakages; the last one cannot be repaired. */
  static final int MALFORMED_VARIANTS = 9;

  /** The choices of the top-level fields, the same since the first simulator. */
  static int topBits(String prompt) {
    return Integer.parseInt(digest(prompt).substring(0, 4), 16);
  }

  static String digest(String s) {
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(h, 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String echo(String s) {
    String flat = s.replaceAll("\\s+", " ").strip();
    return flat.length() <= ECHO_CHARS ? flat : flat.substring(0, ECHO_CHARS) + "…";
  }
}
