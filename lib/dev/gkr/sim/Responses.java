package dev.gkr.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The bodies of generateContent's answers, as the real API shapes them: a candidate with its usage,
 * model version and response id, a candidate stopped by a filter, a prompt blocked for safety. The
 * random source is the simulator's seeded one, shared with the choice of faults, so a seeded run
 * answers the same way every time. Thread-safe.
 */
final class Responses {
  private static final ObjectMapper JSON = SimJson.MAPPER;
  private final AtomicLong responseIds = new AtomicLong();
  private final Random random;
  private final double malformedJsonRate;
  private final Directives directives;

  Responses(Random random, double malformedJsonRate, Directives directives) {
    this.random = random;
    this.malformedJsonRate = malformedJsonRate;
    this.directives = directives;
  }

  /** The 200 or error body of a fault the API answers (not a wire fault). */
  JsonNode faultBody(Fault fault, String model, Request req) {
    return switch (fault) {
      case SAFETY_BLOCK -> {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode fb = root.putObject("promptFeedback").put("blockReason", "SAFETY");
        fb.putArray("safetyRatings")
            .addObject()
            .put("category", "HARM_CATEGORY_DANGEROUS_CONTENT")
            .put("probability", "HIGH")
            .put("blocked", true);
        usage(root, req.inputTokens(), 0, 0);
        root.put("modelVersion", model);
        yield root;
      }
      case EMPTY_ANSWER -> candidate(model, req, new Generation.Shaped("", "STOP", 0));
      case RATE_LIMIT ->
          Envelopes.rateLimited(Envelopes.PER_MINUTE, model, 10, Duration.ofSeconds(1));
      default -> Envelopes.error(fault.httpCode, fault.status, fault.message);
    };
  }

  /**
   * The answer to a request the API accepts: its text (or JSON), shaped by the generation settings,
   * or a candidate stopped by a filter.
   */
  JsonNode success(String model, Request req) throws IOException {
    String text;
    if (req.jsonMode()) {
      JsonNode answer = Answers.json(req.prompt(), req.schema());
      if (directives.asks("schema-mismatch", req.prompt()))
        answer = SchemaAnswers.mismatched(answer); // valid JSON, wrong type in its first field
      String json = JSON.writeValueAsString(answer);
      if (req.prompt().contains("[[sim:bad-json]]")) {
        text =
            Answers.malformed(json, Answers.MALFORMED_VARIANTS - 1); // the one no repair can save
      } else if (random.nextDouble() < malformedJsonRate) {
        text = Answers.malformed(json, random.nextInt(Answers.MALFORMED_VARIANTS));
      } else {
        text = json;
      }
    } else {
      Integer seed =
          req.generationConfig().has("seed") ? req.generationConfig().get("seed").asInt() : null;
      text = Answers.text(req.prompt(), req.system(), req.temperature(), seed, req.parts());
    }
    int in = req.inputTokens();
    if (req.prompt().contains("[[sim:unsafe]]")
        && Generation.blocked(req, "HARM_CATEGORY_DANGEROUS_CONTENT", "MEDIUM")) {
      return blockedAnswer(model, req, "SAFETY", in);
    }
    if (req.prompt().contains("[[sim:recitation]]"))
      return blockedAnswer(model, req, "RECITATION", in);
    return candidate(model, req, Generation.shape(model, req, text, in));
  }

  /**
   * A candidate stopped by a filter: no text, the finish reason, and (for SAFETY) the rating that
   * stopped it.
   */
  private ObjectNode blockedAnswer(String model, Request req, String finishReason, int in) {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode cand = root.putArray("candidates").addObject();
    cand.put("finishReason", finishReason).put("index", 0);
    if (finishReason.equals("SAFETY")) {
      cand.putArray("safetyRatings")
          .addObject()
          .put("category", "HARM_CATEGORY_DANGEROUS_CONTENT")
          .put("probability", "MEDIUM")
          .put("blocked", true);
    }
    usage(root, in, 0, 0);
    root.put("modelVersion", model);
    root.put("responseId", "sim-" + responseIds.incrementAndGet());
    return root;
  }

  private ObjectNode candidate(String model, Request req, Generation.Shaped shaped) {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode cand = root.putArray("candidates").addObject();
    if (!shaped.text().isEmpty() || !shaped.finishReason().equals("MAX_TOKENS")) {
      ObjectNode content = cand.putObject("content");
      content.putArray("parts").addObject().put("text", shaped.text());
      content.put("role", "model");
    }
    cand.put("finishReason", shaped.finishReason()).put("index", 0);
    usage(root, req.inputTokens(), SimText.tokens(shaped.text()), shaped.thoughtsTokens());
    root.put("modelVersion", model);
    root.put("responseId", "sim-" + responseIds.incrementAndGet());
    return root;
  }

  private static void usage(ObjectNode root, int in, int out, int thoughts) {
    ObjectNode u = root.putObject("usageMetadata").put("promptTokenCount", in);
    if (out > 0) u.put("candidatesTokenCount", out);
    if (thoughts > 0) u.put("thoughtsTokenCount", thoughts);
    u.put("totalTokenCount", in + out + thoughts);
  }
}
