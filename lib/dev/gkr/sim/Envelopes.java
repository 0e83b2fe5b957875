package dev.gkr.sim;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;

/**
 * Error bodies in the exact shape of the public API: {@code
 * {"error":{code,message,status,details}}}.
 */
final class Envelopes {
  private static final ObjectMapper JSON = SimJson.MAPPER;
  private static final String TYPE = "type.googleapis.com/google.rpc.";
  static final String PER_MINUTE = "GenerateRequestsPerMinutePerProjectPerModel-FreeTier";
  static final String PER_DAY = "GenerateRequestsPerDayPerProjectPerModel-FreeTier";
  static final String TOKENS_PER_MINUTE = "GenerateContentInputTokensPerModelPerMinute-FreeTier";

  private Envelopes() {}

  static ObjectNode error(int code, String status, String message) {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode err = root.putObject("error");
    err.put("code", code).put("message", message).put("status", status);
    err.putArray("details");
    return root;
  }

  static ObjectNode rateLimited(String quotaId, String model, int limit, Duration retryDelay) {
    return violations(java.util.List.of(quotaId), model, limit, retryDelay);
  }

  /**
   * One 429 listing several QuotaFailure violations, as the real API does when minute, day and
   * tokens run out together.
   */
  static ObjectNode violations(
      java.util.List<String> quotaIds, String model, int limit, Duration retryDelay) {
    ObjectNode root =
        error(
            429,
            "RESOURCE_EXHAUSTED",
            "You exceeded your current quota, please check your plan and billing details. For more information on this error, "
                + "head to: https://ai.google.dev/gemini-api/docs/rate-limits.");
    ArrayNode details = (ArrayNode) root.path("error").path("details");
    ObjectNode qf = details.addObject().put("@type", TYPE + "QuotaFailure");
    ArrayNode vs = qf.putArray("violations");
    for (String quotaId : quotaIds) {
      ObjectNode v = vs.addObject();
      v.put(
          "quotaMetric",
          "generativelanguage.googleapis.com/generate_content_free_tier_"
              + (quotaId.contains("InputTokens") ? "input_token_count" : "requests"));
      v.put("quotaId", quotaId);
      v.putObject("quotaDimensions").put("location", "global").put("model", model);
      v.put("quotaValue", Integer.toString(limit));
    }
    details
        .addObject()
        .put("@type", TYPE + "Help")
        .putArray("links")
        .addObject()
        .put("description", "Learn more about Gemini API quotas")
        .put("url", "https://ai.google.dev/gemini-api/docs/rate-limits");
    details
        .addObject()
        .put("@type", TYPE + "RetryInfo")
        .put("retryDelay", protoDuration(retryDelay));
    return root;
  }

  /** A 429 with no details at all: shared capacity, or a spend cap over a rolling window. */
  static ObjectNode throttled(boolean spend) {
    return error(
        429,
        "RESOURCE_EXHAUSTED",
        spend
            ? "Your project has exceeded its spend limit for the current window. Please try again later."
            : "Resource has been exhausted (e.g. check quota).");
  }

  static ObjectNode modelNotFound(String model) {
    return error(
        404,
        "NOT_FOUND",
        "models/"
            + model
            + " is not found for API version v1beta, or is not supported for generateContent. "
            + "Call ListModels to see the list of available models and their supported methods.");
  }

  static ObjectNode keyInvalid() {
    ObjectNode root =
        error(400, "INVALID_ARGUMENT", "API key not valid. Please pass a valid API key.");
    errorInfo(root, "API_KEY_INVALID");
    ((ArrayNode) root.path("error").path("details"))
        .addObject()
        .put("@type", TYPE + "LocalizedMessage")
        .put("locale", "en-US")
        .put("message", "API key not valid. Please pass a valid API key.");
    return root;
  }

  /** Like the real API, the message names the consumer by its whole key; clients must redact it. */
  static ObjectNode suspended(String key) {
    ObjectNode root =
        error(
            403,
            "PERMISSION_DENIED",
            "Permission denied: Consumer 'api_key:" + key + "' has been suspended.");
    errorInfo(root, "CONSUMER_SUSPENDED")
        .putObject("metadata")
        .put("consumer", "projects/000000000000")
        .put("service", "generativelanguage.googleapis.com");
    return root;
  }

  static ObjectNode permissionDenied() {
    ObjectNode root =
        error(
            403,
            "PERMISSION_DENIED",
            "Generative Language API has not been used in project 000000000000 before or it is disabled.");
    errorInfo(root, "SERVICE_DISABLED");
    return root;
  }

  /** The key's project may not use {@code model} (a preview model it has no access to). */
  static ObjectNode modelDenied(String model) {
    ObjectNode root =
        error(
            403,
            "PERMISSION_DENIED",
            "You do not have permission to access the model " + model + ".");
    errorInfo(root, "IAM_PERMISSION_DENIED");
    return root;
  }

  static ObjectNode unregisteredCaller() {
    return error(
        403,
        "PERMISSION_DENIED",
        "Method doesn't allow unregistered callers (callers without established identity). Please use API Key or other form of API consumer identity to call this API.");
  }

  private static ObjectNode errorInfo(ObjectNode root, String reason) {
    return ((ArrayNode) root.path("error").path("details"))
        .addObject()
        .put("@type", TYPE + "ErrorInfo")
        .put("reason", reason)
        .put("domain", "googleapis.com");
  }

  /** google.protobuf.Duration in JSON: "7s", "0.250s". */
  static String protoDuration(Duration d) {
    long ms = d.toMillis();
    return ms % 1000 == 0
        ? (ms / 1000) + "s"
        : String.format(java.util.Locale.ROOT, "%.3fs", ms / 1000.0);
  }
}
