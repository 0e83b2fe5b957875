package dev.gkr.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * {@code streamGenerateContent?alt=sse}: the answer's text in three server-sent events, each a
 * whole GenerateContentResponse; the last one carries the finish reason and the usage metadata, as
 * the API does.
 */
final class Streams {
  private static final ObjectMapper JSON = SimJson.MAPPER;
  private static final int CHUNKS = 3;

  private Streams() {}

  static void sendSse(HttpExchange ex, JsonNode full) throws IOException {
    ex.getResponseHeaders().set("Content-Type", "text/event-stream");
    ex.sendResponseHeaders(200, 0); // chunked
    JsonNode cand = full.path("candidates").path(0);
    String text = cand.path("content").path("parts").path(0).path("text").asText("");
    try (OutputStream out = ex.getResponseBody()) {
      int step = Math.max(1, (text.length() + CHUNKS - 1) / CHUNKS);
      for (int i = 0, n = 0; i < Math.max(1, text.length()); i += step, n++) {
        boolean last = i + step >= text.length();
        ObjectNode chunk = JSON.createObjectNode();
        ObjectNode c = chunk.putArray("candidates").addObject();
        ObjectNode content = c.putObject("content");
        content
            .putArray("parts")
            .addObject()
            .put(
                "text",
                text.substring(Math.min(i, text.length()), Math.min(text.length(), i + step)));
        content.put("role", "model");
        c.put("index", 0);
        if (last) {
          c.put("finishReason", cand.path("finishReason").asText("STOP"));
          chunk.set("usageMetadata", full.path("usageMetadata"));
        }
        chunk.put("modelVersion", full.path("modelVersion").asText());
        out.write(
            ("data: " + JSON.writeValueAsString(chunk) + "\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        out.flush();
        if (last) break;
      }
    }
  }
}
