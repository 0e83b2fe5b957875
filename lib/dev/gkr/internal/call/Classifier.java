package dev.gkr.internal.call;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.genai.errors.ApiException;
import com.google.genai.types.Candidate;
import com.google.genai.types.GenerateContentResponse;
import com.google.genai.types.GenerateContentResponseUsageMetadata;
import dev.gkr.ErrorType;
import dev.gkr.NetworkCause;
import dev.gkr.Outcome;
import dev.gkr.internal.common.Json;
import dev.gkr.internal.common.Redactor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns what the SDK returned or threw into an {@link Outcome}. The SDK keeps only code, status and
 * message; the google.rpc details arrive as JSON lines after {@code "\nDetails: "} in the message,
 * so they are parsed here, with a pattern fallback for messages that are not in that shape.
 */
public final class Classifier {
  private static final ObjectMapper JSON = Json.MAPPER;
  private static final String DETAILS = "\nDetails: ";
  private static final Pattern REASON = Pattern.compile("\"reason\"\\s*:\\s*\"([A-Z_]+)\"");
  private static final Pattern QUOTA_ID = Pattern.compile("\"quotaId\"\\s*:\\s*\"([^\"]+)\"");
  private static final Pattern RETRY_DELAY =
      Pattern.compile("\"retryDelay\"\\s*:\\s*\"([0-9.]+)s\"");

  private final Redactor redactor;

  public Classifier(Redactor redactor) {
    this.redactor = redactor;
  }

  /** finish_reason values that mean the answer was stopped by a filter, not finished. */
  private static final java.util.Set<String> BLOCKED =
      java.util.Set.of(
          "SAFETY",
          "PROHIBITED_CONTENT",
          "RECITATION",
          "BLOCKLIST",
          "SPII",
          "IMAGE_SAFETY",
          "IMAGE_PROHIBITED_CONTENT",
          "IMAGE_RECITATION",
          "LANGUAGE");

  public Outcome ofResponse(GenerateContentResponse r, Duration latency) {
    Optional<GenerateContentResponseUsageMetadata> usage = r.usageMetadata();
    int promptTokens =
        usage.flatMap(GenerateContentResponseUsageMetadata::promptTokenCount).orElse(0);
    int thoughts =
        usage.flatMap(GenerateContentResponseUsageMetadata::thoughtsTokenCount).orElse(0);
    int outputTokens =
        usage.flatMap(GenerateContentResponseUsageMetadata::candidatesTokenCount).orElse(0);
    int cached =
        usage.flatMap(GenerateContentResponseUsageMetadata::cachedContentTokenCount).orElse(0);
    int total =
        usage
            .flatMap(GenerateContentResponseUsageMetadata::totalTokenCount)
            .orElse(promptTokens + outputTokens + thoughts);
    String traffic =
        usage
            .flatMap(GenerateContentResponseUsageMetadata::trafficType)
            .map(Object::toString)
            .orElse("");
    Optional<Candidate> first = r.candidates().flatMap(c -> c.stream().findFirst());
    String finish = first.flatMap(Candidate::finishReason).map(Object::toString).orElse("");
    String modelVersion = r.modelVersion().orElse("");
    java.util.function.Function<String, Outcome.Success> answer =
        text ->
            new Outcome.Success(
                text,
                finish,
                promptTokens,
                outputTokens,
                latency,
                thoughts,
                cached,
                total,
                modelVersion,
                traffic);
    // What the answer used, for the bill of an answer refused below (Google bills every
    // 200).
    Optional<Outcome.Success> billed = Optional.of(answer.apply(""));
    Optional<String> blocked =
        r.promptFeedback().flatMap(pf -> pf.blockReason()).map(Object::toString);
    if (blocked.isPresent()) {
      return failure(
              ErrorType.PROMPT_BLOCKED,
              200,
              "OK",
              "prompt blocked: " + blocked.get(),
              Optional.empty(),
              latency)
          .withBilled(billed);
    }
    if (BLOCKED.contains(finish)) {
      return failure(
              ErrorType.ANSWER_BLOCKED,
              200,
              "OK",
              "answer blocked: finishReason " + finish,
              Optional.empty(),
              latency)
          .withBilled(billed);
    }
    String text = r.text();
    if (text == null || text.isEmpty()) {
      if (finish.equals("MAX_TOKENS")) {
        return failure(
                ErrorType.TRUNCATED,
                200,
                "OK",
                truncatedMessage(outputTokens, thoughts, true),
                Optional.empty(),
                latency)
            .withBilled(billed);
      }
      return failure(
              ErrorType.EMPTY_ANSWER,
              200,
              "OK",
              "no text in answer" + (finish.isEmpty() ? "" : " (finishReason " + finish + ")"),
              Optional.empty(),
              latency)
          .withBilled(billed);
    }
    return answer.apply(text);
  }

  /** Why a cut-off answer failed, with where the output tokens went and what to change. */
  static String truncatedMessage(int answerTokens, int thoughtsTokens, boolean empty) {
    return (empty
            ? "empty answer: the output limit was reached"
            : "answer cut off at the output limit")
        + " (finishReason MAX_TOKENS) after "
        + answerTokens
        + " answer tokens and "
        + thoughtsTokens
        + " thinking tokens; raise maxOutputTokens or lower thinking (thinkingBudget / thinkingLevel)"
        + (empty ? "" : ", or accept truncated answers (--accept-truncated)");
  }

  public Outcome.Failure ofException(Throwable e, Duration latency) {
    if (e instanceof FileUploads.Failed upload) return ofUpload(upload, latency);
    if (e instanceof ApiException api)
      return ofApiError(api.code(), nullToEmpty(api.status()), nullToEmpty(api.message()), latency);
    NetworkCauses.Found found = NetworkCauses.of(e);
    ErrorType type =
        found.cause() == NetworkCause.READ_TIMEOUT || found.cause() == NetworkCause.CONNECT_TIMEOUT
            ? ErrorType.TIMEOUT
            : ErrorType.CONNECTION;
    return failure(type, 0, "", found.message(), Optional.empty(), latency)
        .withNetwork(found.cause());
  }

  /**
   * A file's upload failed. What the service or the network said (a 5xx, a 429, a refused or reset
   * connection, a timeout) keeps its kind; anything else (the SDK's "Upload failed. Retries
   * exhausted" after its own three tries of a chunk the Files API would not take) is about this
   * file and repeats on every task that uses it: {@link ErrorType#UPLOAD_FAILED}, a task error,
   * which the run-wide throttle never counts.
   */
  private Outcome.Failure ofUpload(FileUploads.Failed upload, Duration latency) {
    Throwable e = upload.getCause();
    Outcome.Failure f = ofException(e, latency);
    String prefix = "upload of " + upload.file() + " failed: ";
    if (e instanceof ApiException || fromNetwork(e))
      return new Outcome.Failure(
          f.type(),
          f.httpCode(),
          f.status(),
          prefix + f.message(),
          f.retryDelay(),
          latency,
          Optional.empty(),
          f.network());
    return failure(ErrorType.UPLOAD_FAILED, 0, "", prefix + f.message(), Optional.empty(), latency);
  }

  /** Whether an IOException (what OkHttp throws for the network) is among the causes. */
  private static boolean fromNetwork(Throwable e) {
    for (Throwable c = e; c != null; c = c.getCause())
      if (c instanceof java.io.IOException) return true;
    return false;
  }

  public Outcome.Failure ofApiError(int code, String status, String message, Duration latency) {
    int cut = message.indexOf(DETAILS);
    String headline = cut >= 0 ? message.substring(0, cut) : message;
    List<JsonNode> details = details(message, cut);
    String reason = find(details, "reason", REASON, message);
    List<String> quotaIds = quotaIds(details, message);
    Optional<Duration> retryDelay = retryDelay(details, message);
    ErrorType type =
        switch (code) {
          case 429 -> strongest(quotaIds);
          case 400 ->
              "API_KEY_INVALID".equals(reason) ? ErrorType.KEY_INVALID : ErrorType.BAD_REQUEST;
          case 401 -> ErrorType.UNAUTHENTICATED;
          // A file of another project (or a deleted one) in a task is that task's error: it must
          // not retire the key.
          case 403 ->
              "CONSUMER_SUSPENDED".equals(reason)
                  ? ErrorType.KEY_SUSPENDED
                  : headline.contains("permission to access the File")
                      ? ErrorType.BAD_REQUEST
                      : aboutModel(reason, headline)
                          ? ErrorType.MODEL_DENIED
                          : ErrorType.PERMISSION_DENIED;
          case 404 -> ErrorType.MODEL_NOT_FOUND;
          case 408 -> ErrorType.TIMEOUT;
          case 503 -> ErrorType.OVERLOADED;
          default -> code >= 500 || code == 499 ? ErrorType.SERVER_ERROR : ErrorType.BAD_REQUEST;
        };
    String detail =
        switch (type) {
          case RATE_LIMITED, DAILY_LIMIT, TOKEN_LIMITED -> quotaIds.isEmpty() ? "" : " " + quotaIds;
          case THROTTLED -> " (no quota details: a capacity or spend limit, not the key)";
          case KEY_INVALID, KEY_SUSPENDED, PERMISSION_DENIED, MODEL_DENIED ->
              reason.isEmpty() ? "" : " [" + reason + "]";
          default -> "";
        };
    return failure(type, code, status, headline + detail, retryDelay, latency);
  }

  private Outcome.Failure failure(
      ErrorType t,
      int code,
      String status,
      String message,
      Optional<Duration> delay,
      Duration latency) {
    return new Outcome.Failure(t, code, status, redactor.redact(message), delay, latency);
  }

  private static List<JsonNode> details(String message, int cut) {
    List<JsonNode> out = new ArrayList<>();
    if (cut < 0) return out;
    for (String line : message.substring(cut + DETAILS.length()).split("\n")) {
      try {
        JsonNode n = JSON.readTree(line.strip());
        if (n != null && n.isObject()) out.add(n);
      } catch (Exception ignored) {
        // not JSON: the pattern fallback below still looks at the raw text
      }
    }
    return out;
  }

  private static String find(List<JsonNode> details, String field, Pattern fallback, String raw) {
    for (JsonNode d : details) if (d.hasNonNull(field)) return d.get(field).asText();
    Matcher m = fallback.matcher(raw);
    return m.find() ? m.group(1) : "";
  }

  /**
   * Every QuotaFailure violation's id: one 429 may list a minute, a day and an input-token quota at
   * once. The pattern fallback reads ids from a message whose details are not in JSON lines.
   */
  private static List<String> quotaIds(List<JsonNode> details, String raw) {
    List<String> ids = new ArrayList<>();
    for (JsonNode d : details) {
      for (JsonNode v : d.path("violations"))
        if (v.hasNonNull("quotaId")) ids.add(v.get("quotaId").asText());
    }
    if (ids.isEmpty()) {
      Matcher m = QUOTA_ID.matcher(raw);
      while (m.find()) ids.add(m.group(1));
    }
    return ids;
  }

  /**
   * The strongest of a 429's violations: a spent day parks the project even when a minute limit is
   * listed too; an input-token quota slows the project's tokens, not its requests; no quota at all
   * is a capacity or spend limit, which is not the key's doing.
   */
  static ErrorType strongest(List<String> quotaIds) {
    if (quotaIds.isEmpty()) return ErrorType.THROTTLED;
    if (quotaIds.stream().anyMatch(id -> id.contains("PerDay"))) return ErrorType.DAILY_LIMIT;
    if (quotaIds.stream().anyMatch(id -> id.contains("InputTokens")))
      return ErrorType.TOKEN_LIMITED;
    return ErrorType.RATE_LIMITED;
  }

  /**
   * A refusal of the model itself (not of the key or its project), e.g. a model the key's tier may
   * not use.
   */
  private static boolean aboutModel(String reason, String headline) {
    if (reason.equals("SERVICE_DISABLED") || reason.startsWith("API_KEY")) return false;
    return headline.toLowerCase(java.util.Locale.ROOT).contains("model");
  }

  private static Optional<Duration> retryDelay(List<JsonNode> details, String raw) {
    String text = null;
    for (JsonNode d : details) if (d.hasNonNull("retryDelay")) text = d.get("retryDelay").asText();
    if (text == null) {
      Matcher m = RETRY_DELAY.matcher(raw);
      if (m.find()) text = m.group(1) + "s";
    }
    if (text == null || !text.endsWith("s")) return Optional.empty();
    try {
      double seconds = Double.parseDouble(text.substring(0, text.length() - 1));
      return Optional.of(Duration.ofNanos(Math.round(seconds * 1e9)));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }
}
