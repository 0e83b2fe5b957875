package dev.gkr.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A JSON value that follows a response schema, derived from the prompt: nested objects, arrays of
 * any item type, string enums (one of the set), {@code minimum}/{@code maximum}, {@code anyOf},
 * {@code $ref} within the schema (a recursive one stops after a few levels), and nullable or
 * optional properties that are sometimes {@code null} or absent. The same prompt always gets the
 * same value; each place in it ({@code $.others[1].amount}) draws its own choices. A leaf at the
 * top level is what the simulator always answered: an integer is the prompt's word count, a string
 * is "{@code name} of {@code prompt}".
 */
final class SchemaAnswers {
  private static final ObjectMapper JSON = SimJson.MAPPER;
  private static final int MAX_DEPTH = 3;

  private final JsonNode root;
  private final String prompt;
  private final String[] words;
  private final String echo;

  private SchemaAnswers(JsonNode root, String prompt, String echo) {
    this.root = root;
    this.prompt = prompt;
    this.words = prompt.trim().split("\\s+");
    this.echo = echo;
  }

  static JsonNode answer(JsonNode schema, String prompt, String echo) {
    return new SchemaAnswers(schema, prompt, echo).value(schema, "$", "value", 0);
  }

  /**
   * The answer with its first field given a value of the wrong type (a number for text, text for
   * anything else): valid JSON that breaks the schema at {@code $.<first field>}.
   */
  static JsonNode mismatched(JsonNode answer) {
    if (!(answer instanceof ObjectNode o) || o.isEmpty())
      return JSON.getNodeFactory().textNode("?");
    String first = o.fieldNames().next();
    if (o.get(first).isTextual()) o.put(first, 12345);
    else o.put(first, "not what the schema asks for");
    return o;
  }

  private JsonNode value(JsonNode s, String path, String name, int depth) {
    if (s.has("$ref")) return value(resolve(s.get("$ref").asText()), path, name, depth + 1);
    for (String alt : new String[] {"anyOf", "oneOf"})
      if (s.has(alt)) {
        for (JsonNode a : s.get(alt))
          if (!"null".equals(a.path("type").asText())) return value(a, path, name, depth);
        return JSON.nullNode();
      }
    int bits = depth == 1 ? Answers.topBits(prompt) : bits(path); // top level: as always
    JsonNode allowed = s.get("enum");
    if (allowed != null && allowed.isArray() && !allowed.isEmpty())
      return allowed.get(Math.floorMod(bits, allowed.size()));
    String type = type(s, bits);
    return switch (type) {
      case "null" -> JSON.nullNode();
      case "integer" -> JSON.getNodeFactory().numberNode(bounded(s, words.length));
      case "number" -> JSON.getNodeFactory().numberNode(bounded(s, (bits % 1000) / 100.0));
      case "boolean" -> JSON.getNodeFactory().booleanNode((bits & 1) == 0);
      case "array" -> array(s.path("items"), path, depth);
      case "object" -> object(s, path, depth);
      default -> JSON.getNodeFactory().textNode(name + " of " + echo);
    };
  }

  private ArrayNode array(JsonNode items, String path, int depth) {
    ArrayNode arr = JSON.createArrayNode();
    if (depth >= MAX_DEPTH) return arr;
    if (items.isMissingNode()
        || "string".equals(items.path("type").asText())
            && !items.has("enum")) { // text items: the prompt's first words, as always
      for (int i = 0; i < Math.min(3, words.length); i++) arr.add(words[i]);
      return arr;
    }
    int n = 1 + Math.floorMod(bits(path + "#"), 3);
    for (int i = 0; i < n; i++) arr.add(value(items, path + "[" + i + "]", "item " + i, depth + 1));
    return arr;
  }

  private ObjectNode object(JsonNode s, String path, int depth) {
    ObjectNode out = JSON.createObjectNode();
    JsonNode props = s.get("properties");
    if (props == null || !props.isObject() || props.isEmpty()) {
      out.put("digest", Answers.digest(prompt));
      return out;
    }
    Set<String> required = new java.util.HashSet<>();
    s.path("required").forEach(r -> required.add(r.asText()));
    boolean anyRequired = s.has("required");
    for (Iterator<Map.Entry<String, JsonNode>> it = props.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> p = it.next();
      String at = path + "." + p.getKey();
      boolean optional = anyRequired && !required.contains(p.getKey());
      // an optional field is left out now and then; deep in a recursive type, always
      if (optional && (depth >= MAX_DEPTH || Math.floorMod(bits(at + "?"), 4) == 0)) continue;
      out.set(p.getKey(), value(p.getValue(), at, p.getKey(), depth + 1));
    }
    return out;
  }

  /** The schema's type; of a type list, {@code null} now and then when it allows it. */
  private static String type(JsonNode s, int bits) {
    JsonNode t = s.get("type");
    if (t == null) return s.has("properties") ? "object" : "string";
    if (t.isTextual()) return t.asText().toLowerCase(Locale.ROOT);
    String first = "string";
    boolean nullable = false;
    for (JsonNode x : t) {
      if (x.asText().equals("null")) nullable = true;
      else if (first.equals("string")) first = x.asText().toLowerCase(Locale.ROOT);
    }
    return nullable && Math.floorMod(bits >> 3, 3) == 0 ? "null" : first;
  }

  private static long bounded(JsonNode s, long v) {
    if (s.has("minimum")) v = Math.max(v, (long) Math.ceil(s.get("minimum").asDouble()));
    if (s.has("maximum")) v = Math.min(v, (long) Math.floor(s.get("maximum").asDouble()));
    return v;
  }

  private static double bounded(JsonNode s, double v) {
    if (s.has("minimum")) v = Math.max(v, s.get("minimum").asDouble());
    if (s.has("maximum")) v = Math.min(v, s.get("maximum").asDouble());
    return v;
  }

  private JsonNode resolve(String ref) {
    if (ref.equals("#")) return root;
    JsonNode n = ref.startsWith("#/") ? root.at(ref.substring(1)) : null;
    return n == null || n.isMissingNode() ? JSON.createObjectNode() : n;
  }

  private int bits(String path) {
    return Integer.parseInt(Answers.digest(prompt + "\u0000" + path).substring(0, 6), 16);
  }
}
