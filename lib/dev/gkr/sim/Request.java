package dev.gkr.sim;

import com.fasterxml.jackson.databind.JsonNode;

/** The parts of a generateContent request body that shape the simulator's answer. */
record Request(String prompt, String system, Double temperature, boolean jsonMode, JsonNode schema) {

  static Request parse(JsonNode body) {
    JsonNode contents = body.path("contents");
    if (!contents.isArray() || contents.isEmpty()) throw new IllegalArgumentException("contents is required");
    String prompt = texts(contents.get(contents.size() - 1));
    String system = body.has("systemInstruction") ? texts(body.get("systemInstruction")) : "";
    JsonNode gen = body.path("generationConfig");
    Double temperature = gen.has("temperature") ? gen.get("temperature").asDouble() : null;
    boolean json = "application/json".equals(gen.path("responseMimeType").asText());
    JsonNode schema = gen.has("responseSchema") ? gen.get("responseSchema") : gen.get("responseJsonSchema");
    return new Request(prompt, system, temperature, json, schema);
  }

  private static String texts(JsonNode content) {
    StringBuilder sb = new StringBuilder();
    for (JsonNode part : content.path("parts")) sb.append(part.path("text").asText(""));
    return sb.toString();
  }
}
