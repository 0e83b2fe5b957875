package dev.gkr.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Gemini's explicit context caches (issue 28), as the REST API and Google's SDKs call them: {@code
 * POST cachedContents} ({@code model}, {@code contents}, {@code systemInstruction}, {@code ttl} or
 * {@code expireTime}; default one hour), {@code GET cachedContents/{id}}, {@code GET
 * cachedContents}, {@code PATCH cachedContents/{id}} (a new {@code ttl} or {@code expireTime}) and
 * {@code DELETE cachedContents/{id}}. A cache belongs to the creating key's project: another
 * project, like an expired or deleted cache, gets the 403 Gemini gives. A cache smaller than the
 * model's minimum ({@link #minimumTokens}) is a 400. Expiry follows the simulator's clock.
 * Thread-safe.
 */
final class CachesApi {
  private static final ObjectMapper JSON = SimJson.MAPPER;
  private static final Pattern PATH =
      Pattern.compile("^/(v1beta|v1|v1alpha)/cachedContents(?:/([^/:]+))?/?$");

  private record Cache(
      String name,
      String project,
      String model,
      String displayName,
      int tokens,
      String system,
      List<SimPart> parts,
      Instant createTime,
      long createdNanos) {}

  /** A cache's contents and its expiry (nanos on the simulator's clock), kept apart. */
  private final Map<String, Cache> caches = new ConcurrentHashMap<>();

  private final Map<String, Long> expiries = new ConcurrentHashMap<>();
  private final AtomicInteger ids = new AtomicInteger();

  static boolean handles(String uriPath) {
    return PATH.matcher(uriPath).matches();
  }

  /** The smallest cache a model takes, in tokens: the table gkr's plan goes by too. */
  static int minimumTokens(String model) {
    return dev.gkr.internal.cost.CacheSizes.minimumTokens(model);
  }

  /** The cache a generateContent body names ({@code cachedContent}), or empty. */
  static String named(JsonNode body) {
    return Request.field(body, "cachedContent").asText("");
  }

  /** Caches created so far and alive now (not deleted, not expired), for tests. */
  SimCaches counts(long nowNanos) {
    int n = 0;
    for (String name : caches.keySet()) if (alive(name, nowNanos)) n++;
    return new SimCaches(ids.get(), n);
  }

  /**
   * What naming {@code name} in a generateContent request means: its token count, or an error reply
   * (403 for a cache that is missing, expired or another project's; 400 when the request also sends
   * a system instruction).
   */
  Use use(String name, Request req, String project, long nowNanos) {
    if (name.isEmpty()) return new Use(0, "", List.of(), null);
    Cache c = caches.get(name);
    if (c == null || !alive(name, nowNanos) || !c.project().equals(project))
      return new Use(0, "", List.of(), notFound());
    if (!req.system().isEmpty())
      return new Use(
          0,
          "",
          List.of(),
          new Reply(
              400,
              Envelopes.error(
                  400,
                  "INVALID_ARGUMENT",
                  "CachedContent can not be used with GenerateContent request setting"
                      + " system_instruction, tools or tool_config.\n\n"
                      + "Proposed fix: move those values to CachedContent from GenerateContent"
                      + " request.")));
    return new Use(c.tokens(), c.system(), c.parts(), null);
  }

  /**
   * A cache's part in one answer: {@code tokens} cached tokens, or an error reply.
   *
   * @param error null when the request may go on
   */
  record Use(int tokens, String system, List<SimPart> parts, Reply error) {
    /** The log's outcome for the error. */
    String outcome() {
      return error.status() == 400 ? "bad_request" : "permission_denied";
    }

    /**
     * The request as the model reads it: the cache's system instruction and files first, then the
     * request's own, so the answer (and its thinking) is the one the same content sent inline gets.
     */
    Request into(Request req) {
      return tokens == 0 ? req : req.withCache(system, parts);
    }

    /**
     * The answer's usage as Gemini counts it: the request's {@code requestTokens} plus the cached
     * ones in the prompt and the total, and {@code cachedContentTokenCount}.
     */
    void bill(JsonNode answer, int requestTokens) {
      if (tokens == 0 || !(answer.get("usageMetadata") instanceof ObjectNode u)) return;
      int prompt = requestTokens + tokens;
      u.put("promptTokenCount", prompt);
      u.put(
          "totalTokenCount",
          prompt + u.path("candidatesTokenCount").asInt() + u.path("thoughtsTokenCount").asInt());
      u.put("cachedContentTokenCount", tokens);
    }
  }

  Reply route(String method, String uriPath, String project, byte[] raw, long nowNanos) {
    Matcher m = PATH.matcher(uriPath);
    if (!m.matches()) return new Reply(404, Envelopes.error(404, "NOT_FOUND", "Not found"));
    String id = m.group(2);
    try {
      if (id == null && method.equals("POST")) return create(project, JSON.readTree(raw), nowNanos);
      if (id == null && method.equals("GET")) return new Reply(200, list(project, nowNanos));
      String name = "cachedContents/" + id;
      Cache c = caches.get(name);
      if (c == null || !alive(name, nowNanos) || !c.project().equals(project)) return notFound();
      return switch (method) {
        case "GET" -> new Reply(200, view(c));
        case "PATCH" -> {
          expiries.put(name, expiry(JSON.readTree(raw), nowNanos, expiries.get(name)));
          yield new Reply(200, view(c));
        }
        case "DELETE" -> {
          caches.remove(name);
          expiries.remove(name);
          yield new Reply(200, JSON.createObjectNode());
        }
        default -> new Reply(404, Envelopes.error(404, "NOT_FOUND", "Method not found: " + method));
      };
    } catch (java.io.IOException | RuntimeException e) {
      return new Reply(
          400, Envelopes.error(400, "INVALID_ARGUMENT", "Invalid request: " + e.getMessage()));
    }
  }

  private Reply create(String project, JsonNode body, long nowNanos) {
    String model = Request.field(body, "model").asText("");
    if (model.isBlank())
      return new Reply(400, Envelopes.error(400, "INVALID_ARGUMENT", "model is required"));
    int tokens = tokens(body);
    int min = minimumTokens(model);
    if (tokens < min)
      return new Reply(
          400,
          Envelopes.error(
              400,
              "INVALID_ARGUMENT",
              "Cached content is too small. total_token_count="
                  + tokens
                  + ", min_total_token_count="
                  + min));
    String name = "cachedContents/sim-cache-" + ids.incrementAndGet();
    Cache c =
        new Cache(
            name,
            project,
            model.startsWith("models/") ? model : "models/" + model,
            Request.field(body, "displayName").asText(""),
            tokens,
            Request.texts(Request.field(body, "systemInstruction")),
            parts(body),
            Instant.now(),
            nowNanos);
    caches.put(name, c);
    expiries.put(name, expiry(body, nowNanos, nowNanos + Duration.ofHours(1).toNanos()));
    return new Reply(200, view(c));
  }

  /** The files of the contents, as a request's parts. */
  private static List<SimPart> parts(JsonNode body) {
    List<SimPart> out = new ArrayList<>();
    for (JsonNode content : body.path("contents")) {
      ObjectNode one = JSON.createObjectNode();
      one.putArray("contents").add(content);
      out.addAll(Request.parse(one).parts());
    }
    return List.copyOf(out);
  }

  /** The contents and system instruction, as generateContent counts input tokens. */
  private static int tokens(JsonNode body) {
    int n = SimText.tokens(Request.texts(Request.field(body, "systemInstruction")));
    JsonNode contents = body.path("contents");
    for (JsonNode content : contents) {
      ObjectNode one = JSON.createObjectNode();
      one.putArray("contents").add(content);
      n += Request.parse(one).inputTokens();
    }
    return n;
  }

  /** The new expiry: {@code ttl} ("3600s") from now, {@code expireTime}, else {@code otherwise}. */
  private static long expiry(JsonNode body, long nowNanos, long otherwise) {
    String ttl = Request.field(body, "ttl").asText("");
    if (!ttl.isEmpty()) {
      if (!ttl.endsWith("s")) throw new IllegalArgumentException("ttl must be like 3600s: " + ttl);
      double seconds = Double.parseDouble(ttl.substring(0, ttl.length() - 1));
      return nowNanos + (long) (seconds * 1e9);
    }
    String at = Request.field(body, "expireTime").asText("");
    if (!at.isEmpty())
      return nowNanos + Duration.between(Instant.now(), Instant.parse(at)).toNanos();
    return otherwise;
  }

  private boolean alive(String name, long nowNanos) {
    Long until = expiries.get(name);
    return until != null && nowNanos < until;
  }

  private ObjectNode list(String project, long nowNanos) {
    ObjectNode out = JSON.createObjectNode();
    ArrayNode arr = out.putArray("cachedContents");
    List<Cache> mine = new ArrayList<>();
    for (Cache c : caches.values())
      if (c.project().equals(project) && alive(c.name(), nowNanos)) mine.add(c);
    mine.sort(java.util.Comparator.comparingLong(Cache::createdNanos));
    mine.forEach(c -> arr.add(view(c)));
    return out;
  }

  private ObjectNode view(Cache c) {
    long left = expiries.getOrDefault(c.name(), c.createdNanos()) - c.createdNanos();
    ObjectNode o = JSON.createObjectNode();
    o.put("name", c.name());
    o.put("model", c.model());
    if (!c.displayName().isEmpty()) o.put("displayName", c.displayName());
    o.put("createTime", c.createTime().toString());
    o.put("updateTime", Instant.now().toString());
    o.put("expireTime", c.createTime().plusNanos(left).toString());
    o.putObject("usageMetadata").put("totalTokenCount", c.tokens());
    return o;
  }

  private static Reply notFound() {
    return new Reply(
        403,
        Envelopes.error(
            403, "PERMISSION_DENIED", "CachedContent not found (or permission denied)"));
  }
}
