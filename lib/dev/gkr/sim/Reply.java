package dev.gkr.sim;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/** The simulator's answer to one HTTP request, before it is written. */
record Reply(
    int status,
    JsonNode body,
    boolean stream,
    Fault wire,
    Map<String, String> headers,
    byte[] bytes) {
  Reply(int status, JsonNode body) {
    this(status, body, false, null, Map.of(), null);
  }

  Reply(int status, JsonNode body, boolean stream, Fault wire) {
    this(status, body, stream, wire, Map.of(), null);
  }

  Reply(int status, JsonNode body, boolean stream, Fault wire, Map<String, String> headers) {
    this(status, body, stream, wire, headers, null);
  }

  /** The log outcome of a storm's answer. */
  static String stormOutcome(Reply r) {
    if (r.status() == 503) return "unavailable";
    String text = r.body().toString();
    return text.contains("PerDay")
        ? "daily_limit"
        : text.contains("quotaId") ? "rate_limited" : "throttled";
  }

  /** The log outcome of a key's refusal. */
  static String outcomeOf(Reply keyProblem) {
    JsonNode err = keyProblem.body().path("error");
    for (JsonNode d : err.path("details")) {
      if (d.has("reason"))
        return switch (d.get("reason").asText()) {
          case "API_KEY_INVALID" -> "key_invalid";
          case "CONSUMER_SUSPENDED" -> "key_suspended";
          case "IAM_PERMISSION_DENIED" -> "model_denied";
          default -> "permission_denied";
        };
    }
    return keyProblem.status() == 429 ? "rate_limited" : "permission_denied";
  }
}
