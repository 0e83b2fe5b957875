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

  /**
   * An answer with text.
   *
   * @param outputTokens the answer's tokens ({@code candidatesTokenCount}), thinking not included
   * @param thoughtsTokens tokens spent thinking (billed as output, counted against maxOutputTokens)
   * @param cachedTokens the part of {@code promptTokens} served from the implicit or explicit cache
   * @param modelVersion the model that answered, as the API reports it; empty when it did not say
   * @param trafficType the tier that served it, as {@code usageMetadata.trafficType} reports it
   *     ({@code ON_DEMAND}, {@code ON_DEMAND_FLEX}, ...); empty when the answer did not say
   */
  record Success(
      String text,
      String finishReason,
      int promptTokens,
      int outputTokens,
      Duration latency,
      int thoughtsTokens,
      int cachedTokens,
      int totalTokens,
      String modelVersion,
      String trafficType)
      implements Outcome {

    /** True when the answer was cut off by maxOutputTokens. */
    public boolean truncated() {
      return "MAX_TOKENS".equals(finishReason);
    }
  }

  /**
   * A failed request. {@code message} never holds a whole API key.
   *
   * @param httpCode the HTTP status, or 0 when no answer arrived (timeout, connection error)
   * @param status the API's status word ({@code RESOURCE_EXHAUSTED}, ...), or empty
   * @param retryDelay the server's RetryInfo delay, when it sent one
   * @param billed a 200 answer gkr refused (truncated, blocked, empty) with its token counts:
   *     Google bills it all the same
   * @param network why no HTTP answer came (connection refused, unknown host, ...), for a failure
   *     of the network; empty when the server answered
   */
  record Failure(
      ErrorType type,
      int httpCode,
      String status,
      String message,
      Optional<Duration> retryDelay,
      Duration latency,
      Optional<Success> billed,
      Optional<NetworkCause> network)
      implements Outcome {

    public Failure(
        ErrorType type,
        int httpCode,
        String status,
        String message,
        Optional<Duration> retryDelay,
        Duration latency) {
      this(
          type, httpCode, status, message, retryDelay, latency, Optional.empty(), Optional.empty());
    }

    public Failure withBilled(Optional<Success> answer) {
      return new Failure(type, httpCode, status, message, retryDelay, latency, answer, network);
    }

    /** The same failure, named as a failure of the network with this cause. */
    public Failure withNetwork(NetworkCause cause) {
      return new Failure(
          type, httpCode, status, message, retryDelay, latency, billed, Optional.of(cause));
    }

    /** One line for logs: {@code 429 RESOURCE_EXHAUSTED rate_limited: You exceeded ...}. */
    public String summary() {
      String head = httpCode > 0 ? httpCode + " " + status + " " : "";
      String firstLine = message.lines().findFirst().orElse("");
      return head + type.code() + (firstLine.isEmpty() ? "" : ": " + firstLine);
    }
  }
}
