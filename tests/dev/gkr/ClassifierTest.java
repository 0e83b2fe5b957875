package dev.gkr;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.gkr.internal.call.Classifier;
import dev.gkr.internal.common.Durations;
import dev.gkr.internal.common.Redactor;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The parsing of google.rpc details when they do not arrive in the SDK's usual shape. */
class ClassifierTest {
  private final Classifier c = new Classifier(new Redactor(List.of()));

  @Test
  void readsDetailsFromJsonLines() {
    String msg =
        "quota\nDetails: {\"@type\":\"type.googleapis.com/google.rpc.QuotaFailure\",\"violations\":[{\"quotaId\":\"GenerateRequestsPerDayPerProjectPerModel\"}]}\n"
            + "{\"@type\":\"type.googleapis.com/google.rpc.RetryInfo\",\"retryDelay\":\"0s\"}";
    Outcome.Failure f = c.ofApiError(429, "RESOURCE_EXHAUSTED", msg, Duration.ZERO);
    assertEquals(ErrorType.DAILY_LIMIT, f.type());
    assertEquals("quota [GenerateRequestsPerDayPerProjectPerModel]", f.message());
  }

  @Test
  void fallsBackToPatternsWhenDetailsAreInlined() {
    String msg =
        "You exceeded your quota {\"reason\": \"x\", \"quotaId\": \"PerMinute\", \"retryDelay\": \"12.5s\"}";
    Outcome.Failure f = c.ofApiError(429, "RESOURCE_EXHAUSTED", msg, Duration.ZERO);
    assertEquals(ErrorType.RATE_LIMITED, f.type());
    assertEquals(Optional.of(Duration.ofMillis(12_500)), f.retryDelay());
  }

  @Test
  void bare429WithoutDetailsIsAKeyIndependentSlowdown_issue17() {
    assertEquals(ErrorType.THROTTLED, c.ofApiError(429, "", "", Duration.ZERO).type());
    assertEquals(ErrorType.Kind.SLOWDOWN, ErrorType.THROTTLED.kind());
    assertEquals(Optional.empty(), c.ofApiError(429, "", "", Duration.ZERO).retryDelay());
  }

  @Test
  void codesWithoutReasons() {
    assertEquals(
        ErrorType.UNAUTHENTICATED, c.ofApiError(401, "UNAUTHENTICATED", "", Duration.ZERO).type());
    assertEquals(
        ErrorType.PERMISSION_DENIED,
        c.ofApiError(403, "PERMISSION_DENIED", "no", Duration.ZERO).type());
    assertEquals(
        ErrorType.MODEL_NOT_FOUND, c.ofApiError(404, "NOT_FOUND", "model", Duration.ZERO).type());
    assertEquals(
        ErrorType.OVERLOADED,
        c.ofApiError(503, "UNAVAILABLE", "The model is overloaded.", Duration.ZERO).type());
    assertEquals(
        ErrorType.SERVER_ERROR,
        c.ofApiError(502, "", "<html>Bad Gateway</html>", Duration.ZERO).type());
    assertEquals(ErrorType.TIMEOUT, c.ofApiError(408, "", "", Duration.ZERO).type());
  }

  @Test
  void parsesShortDurations() {
    assertEquals(Duration.ofSeconds(12), Durations.parse("12s", "every"));
    assertEquals(Duration.ofMillis(500), Durations.parse("500ms", "every"));
    assertEquals(Duration.ofMinutes(1), Durations.parse("1m", "every"));
    assertEquals(Duration.ofMillis(1500), Durations.parse("1.5s", "every"));
    assertEquals(Duration.ZERO, Durations.parse("0", "every"));
    IllegalArgumentException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IllegalArgumentException.class, () -> Durations.parse("12 parsecs", "every"));
    assertEquals("every must look like 12s, 500ms, 1m or 2h, was '12 parsecs'", e.getMessage());
  }
}
