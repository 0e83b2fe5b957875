package dev.gkr.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a simulator profile (JSON; see {@code samples/simulator-profile.json}) into a {@link
 * Simulator.Builder}. Every mistake names the file and the field.
 */
final class Profile {
  private static final ObjectMapper JSON = SimJson.MAPPER;

  private Profile() {}

  static Simulator.Builder load(Path file) {
    JsonNode root;
    try {
      root = JSON.readTree(Files.readString(file));
    } catch (IOException e) {
      throw new IllegalArgumentException(
          file
              + ": cannot read the profile ("
              + e.getClass().getSimpleName()
              + ": "
              + e.getMessage()
              + ")");
    }
    if (root == null || !root.isObject())
      throw new IllegalArgumentException(file + ": a profile is a JSON object");
    Simulator.Builder b = Simulator.builder();
    for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!List.of(
              "latency",
              "seed",
              "unknownKeys",
              "keys",
              "projects",
              "quotaPerKey",
              "faults",
              "malformedJsonRate",
              "storms",
              "missingModels",
              "batches")
          .contains(f)) {
        throw new IllegalArgumentException(file + ": unknown field '" + f + "'");
      }
    }
    try {
      JsonNode lat = root.path("latency");
      if (!lat.isMissingNode())
        b.latency(
            Duration.ofMillis(lat.path("meanMs").asLong()),
            Duration.ofMillis(lat.path("jitterMs").asLong()));
      if (root.has("seed")) b.seed(root.get("seed").asLong());
      if (root.has("unknownKeys")) b.unknownKeys(behavior(root.get("unknownKeys"), "unknownKeys"));
      for (Map.Entry<String, JsonNode> e : iterable(root.path("keys")))
        b.key(e.getKey(), behavior(e.getValue(), "keys." + e.getKey()));
      for (Map.Entry<String, JsonNode> e : iterable(root.path("projects"))) {
        List<String> keys = new ArrayList<>();
        for (JsonNode k : e.getValue().path("keys")) keys.add(k.asText());
        if (keys.isEmpty())
          throw new IllegalArgumentException(
              "projects." + e.getKey() + ".keys must list at least one key");
        b.project(
            e.getKey(), quota(e.getValue(), "projects." + e.getKey()), keys.toArray(String[]::new));
      }
      if (root.has("quotaPerKey")) b.quotaPerKey(quota(root.get("quotaPerKey"), "quotaPerKey"));
      for (Map.Entry<String, JsonNode> e : iterable(root.path("faults"))) {
        Fault fault;
        try {
          fault = Fault.valueOf(e.getKey().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException x) {
          throw new IllegalArgumentException(
              "faults." + e.getKey() + " is not one of " + List.of(Fault.values()));
        }
        b.faultRate(fault, e.getValue().asDouble());
      }
      if (root.has("malformedJsonRate"))
        b.malformedJsonRate(root.get("malformedJsonRate").asDouble());
      int i = 0;
      for (JsonNode s : root.path("storms")) b.storm(storm(s, "storms[" + i++ + "]"));
      for (JsonNode m : root.path("missingModels")) b.missingModel(m.asText());
      JsonNode batches =
          root.path("batches"); // batch job timing: {"pending": "20s", "running": "1m", "ends":
      // ["FAILED",
      // "EXPIRED"]}
      if (!batches.isMissingNode()) {
        b.batchTiming(
            duration(batches.path("pending").asText("1s"), "batches.pending"),
            duration(batches.path("running").asText("2s"), "batches.running"));
        List<BatchSchedule.End> ends = new ArrayList<>();
        for (JsonNode e : batches.path("ends")) {
          try {
            ends.add(BatchSchedule.End.valueOf(e.asText().toUpperCase(Locale.ROOT)));
          } catch (IllegalArgumentException x) {
            throw new IllegalArgumentException(
                "batches.ends: '"
                    + e.asText()
                    + "' is not one of "
                    + List.of(BatchSchedule.End.values()));
          }
        }
        b.batchEnds(ends.toArray(BatchSchedule.End[]::new));
      }
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
    return b;
  }

  private static KeyBehavior behavior(JsonNode n, String field) {
    if (n.isTextual()) {
      return switch (n.asText()) {
        case "ok" -> KeyBehavior.ok();
        case "invalid" -> KeyBehavior.invalid();
        case "suspended" -> KeyBehavior.suspended();
        case "permissionDenied" -> KeyBehavior.permissionDenied();
        case "dailyLimitReached" -> KeyBehavior.dailyLimitReached();
        default ->
            throw new IllegalArgumentException(
                field
                    + ": unknown behaviour '"
                    + n.asText()
                    + "' (ok, invalid, suspended, permissionDenied, dailyLimitReached, or an object)");
      };
    }
    if (n.has("modelDenied")) return KeyBehavior.modelDenied(n.get("modelDenied").asText());
    if (n.has("suspendedAfter")) return KeyBehavior.suspendedAfter(n.get("suspendedAfter").asInt());
    if (n.has("rateLimitedFirst")) {
      return KeyBehavior.rateLimitedFirst(
          n.get("rateLimitedFirst").asInt(),
          duration(n.path("retryDelay").asText("7s"), field + ".retryDelay"));
    }
    throw new IllegalArgumentException(
        field
            + ": expected a behaviour name, {\"suspendedAfter\": N}, {\"modelDenied\": \"MODEL\"} or {\"rateLimitedFirst\": N, \"retryDelay\": \"7s\"}");
  }

  /**
   * {@code {"answer": "503", "from": "30s", "for": "2m", "fraction": 0.5, "model":
   * "gemini-2.5-pro", "fromFirstRequest": true}}; answers: 503, 429, 429-minute, 429-spend,
   * 429-multi, 429-tokens; without {@code model} every model is hit; with {@code fromFirstRequest}
   * {@code from} counts from the first model call answered, not the simulator's start.
   */
  private static Storm storm(JsonNode n, String field) {
    Storm.Kind kind =
        switch (n.path("answer").asText("")) {
          case "503" -> Storm.Kind.OVERLOADED;
          case "429" -> Storm.Kind.CAPACITY_429;
          case "429-minute" -> Storm.Kind.MINUTE_429;
          case "429-spend" -> Storm.Kind.SPEND_429;
          case "429-multi" -> Storm.Kind.MULTI_VIOLATION_429;
          case "429-tokens" -> Storm.Kind.TOKEN_429;
          default ->
              throw new IllegalArgumentException(
                  field
                      + ".answer must be one of 503, 429, 429-minute, 429-spend, 429-multi, 429-tokens, was '"
                      + n.path("answer").asText("")
                      + "'");
        };
    if (!n.has("for"))
      throw new IllegalArgumentException(
          field + ".for is required (how long the storm lasts, e.g. \"2m\")");
    Duration from = duration(n.path("from").asText("0"), field + ".from");
    Duration length = duration(n.get("for").asText(), field + ".for");
    try {
      return new Storm(
          kind,
          from,
          length,
          n.path("fraction").asDouble(1.0),
          n.path("model").asText(""),
          n.path("fromFirstRequest").asBoolean(false));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(field + ": " + e.getMessage());
    }
  }

  private static Quota quota(JsonNode n, String field) {
    Duration window = duration(n.path("window").asText("60s"), field + ".window");
    return new Quota(
        n.path("perWindow").asInt(n.path("perMinute").asInt(0)),
        window,
        n.path("perDay").asInt(0),
        n.path("tokensPerWindow").asInt(n.path("tokensPerMinute").asInt(0)));
  }

  private static Duration duration(String text, String field) {
    try {
      return dev.gkr.internal.common.Durations.parse(text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          field + " must look like 500ms, 7s or 1m, was '" + text + "'");
    }
  }

  private static Iterable<Map.Entry<String, JsonNode>> iterable(JsonNode n) {
    return n.isObject() ? n::fields : List.<Map.Entry<String, JsonNode>>of();
  }
}
