package dev.gkr.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The parts of a generateContent request body that shape the simulator's answer. Field names are
 * read in camelCase and snake_case, as the REST API accepts both.
 *
 * @param generationConfig the received generationConfig, camelCased (empty object when none was
 *     sent)
 * @param safetySettings the received safetySettings array (empty when none)
 * @param parts the non-text parts of the last user turn: inline data (with its decoded size) and
 *     file URIs
 */
record Request(
    String prompt,
    String system,
    Double temperature,
    boolean jsonMode,
    JsonNode schema,
    ObjectNode generationConfig,
    JsonNode safetySettings,
    List<SimPart> parts) {
  private static final ObjectMapper JSON = SimJson.MAPPER;

  /** What the log records of a call whose body was not read: no text, settings or files. */
  static Request none() {
    return new Request(
        "", "", null, false, null, JSON.createObjectNode(), JSON.createArrayNode(), List.of());
  }

  /** One text of an embedding call, as the log records it. */
  static Request text(String text) {
    return new Request(
        text, "", null, false, null, JSON.createObjectNode(), JSON.createArrayNode(), List.of());
  }

  /**
   * The same request with its file parts resolved (sizes and tokens of uploaded files filled in).
   */
  Request withParts(List<SimPart> resolved) {
    return new Request(
        prompt,
        system,
        temperature,
        jsonMode,
        schema,
        generationConfig,
        safetySettings,
        List.copyOf(resolved));
  }

  /**
   * The request as the model reads it when it names a cache: the cache's system instruction (a
   * request naming a cache has none of its own) and the cache's files before its own.
   */
  Request withCache(String cachedSystem, List<SimPart> cachedParts) {
    List<SimPart> all = new java.util.ArrayList<>(cachedParts);
    all.addAll(parts);
    return new Request(
        prompt,
        system.isEmpty() ? cachedSystem : system,
        temperature,
        jsonMode,
        schema,
        generationConfig,
        safetySettings,
        List.copyOf(all));
  }

  /** The prompt, the system instruction and every file, as the API counts input tokens. */
  int inputTokens() {
    int n = SimText.tokens(prompt + system);
    for (SimPart p : parts) n += p.tokens();
    return n;
  }

  static Request parse(JsonNode body) {
    JsonNode contents = body.path("contents");
    if (!contents.isArray() || contents.isEmpty())
      throw new IllegalArgumentException("contents is required");
    JsonNode last = contents.get(contents.size() - 1);
    String prompt = texts(last);
    JsonNode sys = field(body, "systemInstruction");
    String system = sys.isMissingNode() ? "" : texts(sys);
    ObjectNode gen = camel(field(body, "generationConfig"));
    Double temperature = gen.has("temperature") ? gen.get("temperature").asDouble() : null;
    boolean json = "application/json".equals(gen.path("responseMimeType").asText());
    JsonNode schema =
        gen.has("responseSchema") ? gen.get("responseSchema") : gen.get("responseJsonSchema");
    JsonNode safety = field(body, "safetySettings");
    List<SimPart> parts = new ArrayList<>();
    for (JsonNode p : last.path("parts")) {
      JsonNode inline = field(p, "inlineData");
      JsonNode file = field(p, "fileData");
      if (!inline.isMissingNode()) {
        byte[] data = Base64.getDecoder().decode(inline.path("data").asText(""));
        String mime = field(inline, "mimeType").asText("");
        parts.add(SimPart.inline(mime, data));
      } else if (!file.isMissingNode()) {
        String uri = field(file, "fileUri").asText("");
        parts.add(
            new SimPart(
                field(file, "mimeType").asText(""),
                0,
                uri,
                258,
                SimPart.digestOf(uri.getBytes(java.nio.charset.StandardCharsets.UTF_8))));
      }
    }
    return new Request(
        prompt,
        system,
        temperature,
        json,
        schema,
        gen,
        safety.isArray() ? safety : JSON.createArrayNode(),
        List.copyOf(parts));
  }

  /** A field by its camelCase name or its snake_case twin. */
  static JsonNode field(JsonNode n, String camel) {
    if (n.has(camel)) return n.get(camel);
    return n.path(camel.replaceAll("([A-Z])", "_$1").toLowerCase(java.util.Locale.ROOT));
  }

  /**
   * The object with snake_case names turned to camelCase, one level into objects (as
   * thinkingConfig).
   */
  private static ObjectNode camel(JsonNode n) {
    ObjectNode out = JSON.createObjectNode();
    if (!n.isObject()) return out;
    n.fields()
        .forEachRemaining(
            e -> {
              JsonNode v = e.getValue();
              String name = toCamel(e.getKey());
              out.set(
                  name,
                  v.isObject()
                          && !name.equals("responseSchema")
                          && !name.equals("responseJsonSchema")
                      ? camel(v)
                      : v);
            });
    return out;
  }

  private static String toCamel(String s) {
    StringBuilder sb = new StringBuilder();
    boolean up = false;
    for (char c : s.toCharArray()) {
      if (c == '_') up = true;
      else {
        sb.append(up ? Character.toUpperCase(c) : c);
        up = false;
      }
    }
    return sb.toString();
  }

  static String texts(JsonNode content) {
    StringBuilder sb = new StringBuilder();
    for (JsonNode part : content.path("parts")) sb.append(part.path("text").asText(""));
    return sb.toString();
  }
}
