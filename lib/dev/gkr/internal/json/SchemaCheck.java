package dev.gkr.internal.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks a JSON value against the subset of JSON Schema that {@link RecordSchemas} writes ({@code
 * type}, {@code enum}, {@code properties}, {@code required}, {@code items}, {@code anyOf}, {@code
 * $ref} within the schema) and names the first place it breaks, as {@code $.pros[1]: expected
 * string, got number 3}. Anything else in a schema is not checked. Properties the schema does not
 * name are allowed (Jackson ignores them when it binds).
 */
public final class SchemaCheck {
  private SchemaCheck() {}

  /** The first problem, or empty when {@code value} follows {@code schema}. */
  public static Optional<String> problem(JsonNode schema, JsonNode value) {
    return Optional.ofNullable(check(schema, schema, value, "$", 0));
  }

  private static String check(JsonNode root, JsonNode s, JsonNode v, String path, int depth) {
    if (depth > 64) return null; // a recursive schema: deeper values are not checked
    if (s.has("$ref"))
      return check(root, resolve(root, s.get("$ref").asText()), v, path, depth + 1);
    if (s.has("anyOf")) {
      String first = null;
      for (JsonNode alt : s.get("anyOf")) {
        String p = check(root, alt, v, path, depth + 1);
        if (p == null) return null;
        if (first == null) first = p;
      }
      if (first != null) return first;
    }
    List<String> types = types(s.get("type"));
    if (!types.isEmpty() && types.stream().noneMatch(t -> is(t, v)))
      return path + ": expected " + String.join(" or ", types) + ", got " + describe(v);
    if (v.isNull()) return null;
    JsonNode allowed = s.get("enum");
    if (allowed != null && allowed.isArray()) {
      boolean found = false;
      for (JsonNode a : allowed) found |= a.equals(v);
      if (!found) return path + ": " + v + " is not one of " + allowed;
    }
    if (v.isObject()) {
      for (JsonNode r : s.path("required"))
        if (!v.has(r.asText())) return path + "." + r.asText() + ": required field is missing";
      JsonNode props = s.get("properties");
      if (props != null)
        for (Iterator<Map.Entry<String, JsonNode>> it = props.fields(); it.hasNext(); ) {
          Map.Entry<String, JsonNode> p = it.next();
          if (!v.has(p.getKey())) continue;
          String inner =
              check(root, p.getValue(), v.get(p.getKey()), path + "." + p.getKey(), depth + 1);
          if (inner != null) return inner;
        }
    }
    if (v.isArray() && s.has("items")) {
      for (int i = 0; i < v.size(); i++) {
        String inner = check(root, s.get("items"), v.get(i), path + "[" + i + "]", depth + 1);
        if (inner != null) return inner;
      }
    }
    return null;
  }

  /** {@code #} or a JSON pointer within the schema ({@code #/$defs/Node}). */
  static JsonNode resolve(JsonNode root, String ref) {
    if (ref.equals("#")) return root;
    if (ref.startsWith("#/")) {
      JsonNode n = root.at(ref.substring(1));
      if (!n.isMissingNode()) return n;
    }
    return com.fasterxml.jackson.databind.node.MissingNode.getInstance(); // outside: not checked
  }

  private static List<String> types(JsonNode type) {
    List<String> out = new ArrayList<>();
    if (type == null) return out;
    if (type.isArray()) type.forEach(t -> out.add(t.asText()));
    else out.add(type.asText());
    return out;
  }

  private static boolean is(String type, JsonNode v) {
    return switch (type) {
      case "object" -> v.isObject();
      case "array" -> v.isArray();
      case "string" -> v.isTextual();
      case "boolean" -> v.isBoolean();
      case "null" -> v.isNull();
      case "number" -> v.isNumber();
      case "integer" ->
          v.isIntegralNumber()
              || (v.isNumber() && v.decimalValue().stripTrailingZeros().scale() <= 0);
      default -> true;
    };
  }

  private static String describe(JsonNode v) {
    String kind =
        v.isNull()
            ? "null"
            : v.isTextual()
                ? "string"
                : v.isNumber()
                    ? "number"
                    : v.isBoolean() ? "boolean" : v.isArray() ? "array" : "object";
    if (v.isNull() || v.isContainerNode()) return kind;
    String text = v.toString();
    return kind + " " + (text.length() > 40 ? text.substring(0, 40) + "…" : text);
  }
}
