package dev.gkr;

import java.time.Duration;
import java.util.Optional;

/** What one request to Gemini gave: a {@link Success} or a typed {@link Failure}. */
public sealed interface Outcome {

  /** Time from sending the request to reading the whole answer. */
  Duration latency();

  default boolean isSuccess() {
    return this instanceof Success;
  }

  /** An answer with text. */
  record Success(String text, String finishReason, int promptTokens, int outputTokens, Duration latency)
      implements Outcome {}

  /**
   * A failed request. {@code message} never holds a whole API key.
   *
   * @param httpCode the HTTP status, or 0 when no answer arrived (timeout, connection error)
   * @param status the API's status word ({@code RESOURCE_EXHAUSTED}, ...), or empty
   * @param retryDelay the server's RetryInfo delay, when it sent one
   */
  record Failure(ErrorType type, int httpCode, String status, String message, Optional<Duration> retryDelay,
      Duration latency) implements Outcome {

    /** One line for logs: {@code 429 RESOURCE_EXHAUSTED rate_limited: You exceeded ...}. */
    public String summary() {
      String head = httpCode > 0 ? httpCode + " " + status + " " : "";
      String firstLine = message.lines().findFirst().orElse("");
      return head + type.code() + (firstLine.isEmpty() ? "" : ": " + firstLine);
    }
  }
}
