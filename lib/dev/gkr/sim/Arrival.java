package dev.gkr.sim;

import com.sun.net.httpserver.HttpExchange;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * A call of the Gemini methods (generateContent, streamGenerateContent, countTokens, models) as the
 * request log needs it, whatever its answer: when it arrived, with which key and for which model.
 * The one place a {@link SimRequest} is made, so every answer is logged the same way.
 *
 * @param nanos arrival time on the simulator's monotonic clock ({@link System#nanoTime()})
 * @param key the key as sent (masked only in the log)
 * @param model the model named in the path (empty for the models list)
 */
record Arrival(Instant time, long nanos, String key, String model) {

  /** The log entry of this call, asking {@code req}, answered with {@code status}. */
  SimRequest logged(Request req, int status, String outcome) {
    return new SimRequest(
        time,
        nanos,
        SimText.mask(key),
        model,
        req.prompt(),
        status,
        outcome,
        req.system(),
        req.generationConfig(),
        req.safetySettings(),
        req.parts());
  }

  /** The key as the SDKs send it: the x-goog-api-key header, or a {@code key} query parameter. */
  static String keyOf(HttpExchange ex) {
    String header = ex.getRequestHeaders().getFirst("x-goog-api-key");
    if (header != null) return header;
    String query = ex.getRequestURI().getRawQuery();
    if (query == null) return null;
    for (String part : query.split("&")) {
      if (part.startsWith("key="))
        return java.net.URLDecoder.decode(part.substring(4), StandardCharsets.UTF_8);
    }
    return null;
  }
}
