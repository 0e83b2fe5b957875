package dev.gkr.sim;

/** A failure the simulator can inject at a given rate, answered exactly as the public API does. */
public enum Fault {
  /** 500 INTERNAL. */
  INTERNAL(
      500,
      "INTERNAL",
      "An internal error has occurred. Please retry or report in https://developers.generativeai.google/guide/troubleshooting"),
  /** 503 UNAVAILABLE, as when the model is overloaded. */
  UNAVAILABLE(503, "UNAVAILABLE", "The model is overloaded. Please try again later."),
  /** 504 DEADLINE_EXCEEDED. */
  DEADLINE_EXCEEDED(504, "DEADLINE_EXCEEDED", "Deadline expired before operation could complete."),
  /**
   * 400 INVALID_ARGUMENT for the request itself (no ErrorInfo: only a bad key carries
   * API_KEY_INVALID).
   */
  BAD_REQUEST(400, "INVALID_ARGUMENT", "Request contains an invalid argument."),
  /** HTTP 200 with no candidates and promptFeedback.blockReason = SAFETY. */
  SAFETY_BLOCK(200),
  /** HTTP 200 with a candidate whose text is empty. */
  EMPTY_ANSWER(200),
  /** A per-minute 429 RESOURCE_EXHAUSTED with RetryInfo. */
  RATE_LIMIT(
      429,
      "RESOURCE_EXHAUSTED",
      "You exceeded your current quota, please check your plan and billing details."),
  /** The connection is dropped before any response is sent. */
  CONNECTION_RESET(0),
  /**
   * The response starts (200, full Content-Length) and the connection drops halfway through the
   * body.
   */
  RESET_MIDWAY(0),
  /** A complete HTTP 200 whose JSON body is cut in half. */
  TRUNCATED_BODY(200),
  /** An HTML 502 page from a proxy instead of the API's JSON (see {@link WireFaults}). */
  HTML_502(502);

  /** The HTTP status the request log records (0: no response at all). */
  final int httpCode;

  /** The API error's status and message; empty for the faults that are not an API error. */
  final String status, message;

  Fault(int httpCode, String status, String message) {
    this.httpCode = httpCode;
    this.status = status;
    this.message = message;
  }

  /** A fault that is not an API error: an odd answer, or a failure below the API. */
  Fault(int httpCode) {
    this(httpCode, "", "");
  }
}
