package dev.gkr.internal.request;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.genai.JsonSerializable;
import com.google.genai.types.Content;
import com.google.genai.types.GenerateContentConfig;
import com.google.genai.types.Part;
import com.google.genai.types.SafetySetting;
import dev.gkr.internal.common.Json;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The REST {@code generationConfig} object as JSON: read from users (a {@code --config} file, a
 * task's {@code config}), checked, merged, hashed, and turned into the SDK's {@link
 * GenerateContentConfig}.
 *
 * <p>Why JSON and not the SDK type throughout: the SDK's {@code fromJson} silently drops fields it
 * does not know (a typo such as {@code maxOutputToken} would vanish), so each object is read here,
 * converted to the SDK type, written back, and any field that did not survive the round trip is
 * refused by name. The JSON form is also what the checkpoint hash needs: a canonical text of the
 * effective settings.
 */
public final class GenerationConfig {
  private static final ObjectMapper JSON = Json.MAPPER;

  /** The fields of the REST generationConfig (v1beta), as Google documents them. */
  static final Set<String> FIELDS =
      Set.of(
          "stopSequences",
          "responseMimeType",
          "responseSchema",
          "responseJsonSchema",
          "responseModalities",
          "candidateCount",
          "maxOutputTokens",
          "temperature",
          "topP",
          "topK",
          "seed",
          "presencePenalty",
          "frequencyPenalty",
          "responseLogprobs",
          "logprobs",
          "enableEnhancedCivicAnswers",
          "speechConfig",
          "thinkingConfig",
          "imageConfig",
          "mediaResolution");

  /**
   * Values copied as they are: JSON Schemas whose own field names must not be renamed or checked.
   */
  private static final Set<String> OPAQUE = Set.of("responseSchema", "responseJsonSchema");

  private GenerationConfig() {}

  /**
   * Reads a generationConfig object; snake_case names are accepted as the REST API accepts them.
   *
   * @param where names the source in messages, e.g. {@code "--config cfg.json"} or {@code "task 3:
   *     config"}
   * @throws IllegalArgumentException naming {@code where} and the field that is unknown or of the
   *     wrong type
   */
  static ObjectNode parse(String json, String where) {
    JsonNode n;
    try {
      n = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      var loc = e.getLocation();
      throw new IllegalArgumentException(
          where
              + ": not valid JSON at line "
              + loc.getLineNr()
              + ", column "
              + loc.getColumnNr()
              + " ("
              + e.getOriginalMessage()
              + ")");
    }
    if (n == null || !n.isObject())
      throw new IllegalArgumentException(
          where + ": expected a JSON object like {\"maxOutputTokens\": 256}");
    try {
      return check((ObjectNode) camelCase(n, ""), where);
    } catch (IllegalStateException twice) {
      throw new IllegalArgumentException(where + ": " + twice.getMessage());
    }
  }

  /** Checks an already camelCased object: known fields only, each of the type the API expects. */
  static ObjectNode check(ObjectNode n, String where) {
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!FIELDS.contains(f)) {
        String hint =
            f.equals("safetySettings")
                ? " (safety settings are not part of generationConfig: use --safety / .safety(...))"
                : f.equals("systemInstruction")
                    ? " (use --system / .systemInstruction(...), or a task's 'system' field)"
                    : "";
        throw new IllegalArgumentException(
            where
                + ": unknown field '"
                + f
                + "'"
                + hint
                + "; known fields: "
                + new java.util.TreeSet<>(FIELDS));
      }
    }
    String wrong = wrongValue(n, "");
    if (wrong != null) throw new IllegalArgumentException(where + ": " + wrong);
    if (n.has("candidateCount")
        && !(n.get("candidateCount").isInt() && n.get("candidateCount").asInt() == 1)) {
      throw new IllegalArgumentException(
          where
              + ": field 'candidateCount' must be 1 (gkr keeps one answer per task), was "
              + n.get("candidateCount"));
    }
    JsonNode back;
    try {
      back =
          JSON.readTree(
              GenerateContentConfig.fromJsonNode(n, GenerateContentConfig.class).toJson());
    } catch (RuntimeException | JsonProcessingException e) {
      throw new IllegalArgumentException(where + ": " + typeProblem(e));
    }
    String lost = lostField(n, back, "");
    if (lost != null) throw new IllegalArgumentException(where + ": unknown field '" + lost + "'");
    requireThinkingNotBoth(n, where);
    return n;
  }

  /** Fields the API types as integers; the SDK would quietly round 1.5 to 1. */
  private static final Set<String> INTEGERS =
      Set.of("maxOutputTokens", "topK", "seed", "candidateCount", "logprobs", "thinkingBudget");

  /** A null value, or a fraction where the API wants an integer; null when all is well. */
  private static String wrongValue(JsonNode n, String path) {
    for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String p = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
      JsonNode v = e.getValue();
      if (v.isNull()) return "field '" + p + "' is null; leave it out or give it a value";
      if (INTEGERS.contains(e.getKey()) && !(v.isIntegralNumber() && v.canConvertToInt()))
        return "field '" + p + "' must be an integer, was " + v;
      if (v.isObject() && !OPAQUE.contains(e.getKey())) {
        String deeper = wrongValue(v, p);
        if (deeper != null) return deeper;
      }
    }
    return null;
  }

  /** The API answers 400 when both are set; refuse before the first request instead. */
  static void requireThinkingNotBoth(JsonNode gen, String where) {
    JsonNode t = gen.path("thinkingConfig");
    if (t.has("thinkingBudget") && t.has("thinkingLevel")) {
      throw new IllegalArgumentException(
          where
              + ": thinkingBudget and thinkingLevel are both set; the API refuses that (400). "
              + "Use thinkingBudget for 2.5 models and thinkingLevel for 3.x models, not both");
    }
  }

  /**
   * {@code over}'s fields replace {@code base}'s; objects (e.g. thinkingConfig) merge field by
   * field.
   */
  static ObjectNode merge(ObjectNode base, ObjectNode over) {
    ObjectNode out = base.deepCopy();
    over.fields()
        .forEachRemaining(
            e -> {
              JsonNode old = out.get(e.getKey());
              if (old instanceof ObjectNode o
                  && e.getValue() instanceof ObjectNode v
                  && !OPAQUE.contains(e.getKey())) {
                out.set(e.getKey(), merge(o, v));
              } else {
                out.set(e.getKey(), e.getValue().deepCopy());
              }
            });
    return out;
  }

  /**
   * Sorted-key compact JSON: the same settings always give the same text (for the checkpoint hash).
   */
  static String canonical(JsonNode n) {
    try {
      return JSON.writeValueAsString(
          JSON.treeToValue(n, Object.class) instanceof Map<?, ?> m ? sorted(m) : n);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  @SuppressWarnings("unchecked")
  private static Object sorted(Object o) {
    if (o instanceof Map<?, ?> m) {
      TreeMap<String, Object> t = new TreeMap<>();
      m.forEach((k, v) -> t.put((String) k, sorted(v)));
      return t;
    }
    if (o instanceof List<?> l) return l.stream().map(GenerationConfig::sorted).toList();
    return o;
  }

  /**
   * The SDK request config: this generationConfig plus the system instruction and safety settings.
   */
  public static GenerateContentConfig toSdk(
      ObjectNode gen, Optional<String> system, List<SafetySetting> safety) {
    GenerateContentConfig.Builder b =
        gen.isEmpty()
            ? GenerateContentConfig.builder()
            : JsonSerializable.fromJsonNode(gen, GenerateContentConfig.class).toBuilder();
    system
        .filter(s -> !s.isBlank())
        .ifPresent(text -> b.systemInstruction(Content.fromParts(Part.fromText(text))));
    if (!safety.isEmpty()) b.safetySettings(safety);
    return b.build();
  }

  /**
   * snake_case names to camelCase, except inside JSON Schemas, whose property names are the user's.
   */
  private static JsonNode camelCase(JsonNode n, String parent) {
    if (!n.isObject() || OPAQUE.contains(parent)) return n;
    ObjectNode out = JSON.createObjectNode();
    n.fields()
        .forEachRemaining(
            e -> {
              String name = toCamel(e.getKey());
              if (out.has(name))
                throw new IllegalStateException(
                    "field '" + name + "' is given twice (in camelCase and in snake_case)");
              out.set(name, camelCase(e.getValue(), name));
            });
    return out;
  }

  static String toCamel(String s) {
    if (s.indexOf('_') <= 0) return s;
    StringBuilder sb = new StringBuilder(s.length());
    boolean up = false;
    for (char c : s.toCharArray()) {
      if (c == '_') {
        up = true;
      } else {
        sb.append(up ? Character.toUpperCase(c) : c);
        up = false;
      }
    }
    return sb.toString();
  }

  /** The first field of {@code in} (a dotted path) that the SDK dropped, or null. */
  private static String lostField(JsonNode in, JsonNode back, String path) {
    if (!in.isObject()) return null;
    for (Iterator<Map.Entry<String, JsonNode>> it = in.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String p = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
      if (back == null || !back.has(e.getKey())) return p;
      if (OPAQUE.contains(e.getKey())) continue;
      String deeper = lostField(e.getValue(), back.get(e.getKey()), p);
      if (deeper != null) return deeper;
    }
    return null;
  }

  private static String typeProblem(Exception e) {
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof JsonMappingException m && !m.getPath().isEmpty()) {
        StringBuilder p = new StringBuilder();
        for (JsonMappingException.Reference r : m.getPath()) {
          if (r.getFieldName() != null) p.append(p.isEmpty() ? "" : ".").append(r.getFieldName());
          else if (r.getIndex() >= 0) p.append('[').append(r.getIndex()).append(']');
        }
        String why =
            m.getOriginalMessage() == null
                ? ""
                : m.getOriginalMessage().lines().findFirst().orElse("");
        return "field '" + p + "' has the wrong type or value (" + why + ")";
      }
    }
    return "not a valid generationConfig (" + e.getMessage() + ")";
  }
}
