package dev.gkr.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Answers Gemini REST requests according to a {@link SimConfig}. */
final class GeminiHandler implements HttpHandler {
  private static final ObjectMapper JSON = SimJson.MAPPER;
  private static final Pattern PATH =
      Pattern.compile("^/(v1beta|v1|v1alpha)/models/([^/:]+):([A-Za-z]+)$");
  private static final Pattern MODEL = Pattern.compile("^/(v1beta|v1|v1alpha)/models/([^/:]+)$");
  private static final Pattern MODELS = Pattern.compile("^/(v1beta|v1|v1alpha)/models/?$");

  private final SimConfig config;
  private final Map<String, ProjectQuota> quotas = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> requestsPerKey = new ConcurrentHashMap<>();
  private final Directives directives = new Directives();
  private final ConcurrentLinkedQueue<SimRequest> log = new ConcurrentLinkedQueue<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger maxInFlight = new AtomicInteger();
  private final java.util.Set<java.net.InetSocketAddress> clients = ConcurrentHashMap.newKeySet();
  private volatile Gate gate = Gate.OPEN;
  private final Random random;
  private final Responses responses;
  private final RequestLogFile logFile;
  private final Storms storms;
  private final FilesApi filesApi = new FilesApi();
  private final BatchApi batchApi;
  private final CachesApi caches = new CachesApi();

  GeminiHandler(SimConfig config, RequestLogFile logFile) {
    this.logFile = logFile;
    this.storms = new Storms(config.storms(), config.clock());
    this.config = config;
    this.random = new Random(config.seed());
    this.responses = new Responses(random, config.malformedJsonRate(), directives);
    this.batchApi =
        new BatchApi(
            config.batches(), config.clock(), filesApi, this::batchAnswer, Embeddings::batchAnswer);
  }

  SimCaches caches() {
    return caches.counts(config.clock().getAsLong());
  }

  List<SimBatch> batches() {
    return batchApi.batches();
  }

  List<SimRequest> log() {
    return List.copyOf(log);
  }

  List<SimFile> uploads() {
    return filesApi.uploads();
  }

  int maxInFlight() {
    return maxInFlight.get();
  }

  int connections() {
    return clients.size();
  }

  void gate(Gate gate) {
    this.gate = gate;
  }

  @Override
  public void handle(HttpExchange ex) throws IOException {
    int now = inFlight.incrementAndGet();
    maxInFlight.accumulateAndGet(now, Math::max);
    if (config.keepLog()) clients.add(ex.getRemoteAddress());
    try (ex) {
      gate.pass(now);
      Reply reply = answer(ex);
      if (reply.wire() != null) {
        WireFaults.send(ex, reply.wire(), JSON.writeValueAsBytes(reply.body()));
        return;
      }
      if (reply.status() == 200 && reply.stream()) {
        Streams.sendSse(ex, reply.body());
        return;
      }
      byte[] body = reply.bytes() != null ? reply.bytes() : JSON.writeValueAsBytes(reply.body());
      reply.headers().forEach((k, v) -> ex.getResponseHeaders().set(k, v));
      ex.getResponseHeaders()
          .set(
              "Content-Type",
              reply.bytes() != null
                  ? "application/octet-stream"
                  : "application/json; charset=UTF-8");
      ex.sendResponseHeaders(reply.status(), body.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // simulator closing: the connection is dropped unanswered
    } finally {
      inFlight.decrementAndGet();
    }
  }

  private Reply answer(HttpExchange ex) throws IOException, InterruptedException {
    long arrival = System.nanoTime();
    Instant time = Instant.now();
    byte[] raw;
    try (InputStream in = ex.getRequestBody()) {
      raw = in.readAllBytes();
    }
    String uriPath = ex.getRequestURI().getPath();
    String key = Arrival.keyOf(ex);
    if (BatchApi.handles(uriPath)) return batch(ex, key, raw, uriPath);
    if (FilesApi.handles(uriPath)) return files(ex, key, raw, uriPath);
    if (CachesApi.handles(uriPath)) return caches(ex, key, raw, uriPath);
    Matcher path = PATH.matcher(uriPath);
    boolean post = "POST".equals(ex.getRequestMethod());
    if (!path.matches() || !post) {
      Matcher m = MODEL.matcher(uriPath);
      boolean list = MODELS.matcher(uriPath).matches();
      if ("GET".equals(ex.getRequestMethod()) && (list || m.matches())) {
        Reply keyProblem = checkKey(key, "models", false);
        if (keyProblem != null)
          return logged(
              new Arrival(time, arrival, key, ""),
              Request.none(),
              keyProblem.status(),
              Reply.outcomeOf(keyProblem),
              keyProblem.body());
        JsonNode body = list ? Models.list() : Models.get(m.group(2));
        int status = body.has("error") ? 404 : 200;
        return logged(
            new Arrival(time, arrival, key, list ? "" : m.group(2)),
            Request.none(),
            status,
            status == 200 ? "ok" : "not_found",
            body);
      }
      return new Reply(
          404,
          Envelopes.error(
              404, "NOT_FOUND", "Method not found: " + ex.getRequestMethod() + " " + uriPath));
    }
    String model = path.group(2);
    String method = path.group(3);
    if (Embeddings.handles(method))
      return embed(new Arrival(time, arrival, key, model), key, model, method, raw);
    if (!method.equals("generateContent")
        && !method.equals("streamGenerateContent")
        && !method.equals("countTokens")) {
      return new Reply(404, Envelopes.error(404, "NOT_FOUND", "Method not found: " + method));
    }
    Arrival call = new Arrival(time, arrival, key, model);
    Request req;
    String tier, cache;
    try {
      JsonNode tree = JSON.readTree(raw);
      req = Request.parse(tree);
      tier = Billing.tier(tree);
      cache = CachesApi.named(tree);
    } catch (IOException | RuntimeException e) {
      String why = "Invalid JSON payload received. " + e.getClass().getSimpleName();
      return logged(
          call, Request.none(), 400, "bad_request", Envelopes.error(400, "INVALID_ARGUMENT", why));
    }
    Reply keyProblem = checkKey(key, model, !method.equals("countTokens"));
    if (keyProblem != null)
      return logged(call, req, keyProblem.status(), Reply.outcomeOf(keyProblem), keyProblem.body());
    if (method.equals("countTokens")) {
      JsonNode body = JSON.createObjectNode().put("totalTokens", req.inputTokens());
      return logged(call, req, 200, "ok", body);
    }
    Set<String> missing = config.missingModels(); // "*": every model Gemini does not serve
    if (missing.contains(model) || (missing.contains("*") && !Models.NAMES.contains(model)))
      return logged(call, req, 404, "not_found", Envelopes.modelNotFound(model));
    Reply stormed = storms.answer(key, model);
    if (stormed != null)
      return logged(call, req, stormed.status(), Reply.stormOutcome(stormed), stormed.body());
    FilesApi.Resolved files = filesApi.resolve(req.parts(), projectOf(key));
    if (files.denied() != null)
      return logged(call, req, 403, "permission_denied", files.denied().body());
    req = req.withParts(files.parts());
    String invalid = Generation.invalid(model, req);
    if (invalid == null) invalid = Billing.invalidTier(tier);
    if (invalid != null)
      return logged(
          call, req, 400, "bad_request", Envelopes.error(400, "INVALID_ARGUMENT", invalid));
    CachesApi.Use cached = caches.use(cache, req, projectOf(key), config.clock().getAsLong());
    if (cached.error() != null)
      return logged(call, req, cached.error().status(), cached.outcome(), cached.error().body());
    ProjectQuota.Verdict verdict = quotaOf(key, model).admit(arrival, req.inputTokens());
    if (!verdict.admitted()) {
      String outcome = verdict.quotaId().contains("PerDay") ? "daily_limit" : "rate_limited";
      JsonNode body =
          Envelopes.rateLimited(verdict.quotaId(), model, verdict.limit(), verdict.retryDelay());
      return logged(call, req, 429, outcome, body);
    }
    Fault fault = directives.fault(req.prompt());
    if (fault == null) fault = config.randomFault(random);
    config.sleepLatency(req.prompt());
    if (fault != null) {
      boolean wire =
          WireFaults.isWire(fault); // a wire fault breaks the transfer of a normal answer
      String outcome = fault.name().toLowerCase(java.util.Locale.ROOT);
      JsonNode body = wire ? responses.success(model, req) : responses.faultBody(fault, model, req);
      Reply r = logged(call, req, fault.httpCode, outcome, body);
      return wire ? new Reply(r.status(), r.body(), false, fault) : r;
    }
    JsonNode answer = responses.success(model, cached.into(req)); // as if sent inline
    Billing.report(answer, req, tier, req.inputTokens());
    cached.bill(answer, req.inputTokens());
    Reply ok = logged(call, req, 200, "ok", answer);
    return method.equals("streamGenerateContent") ? new Reply(200, ok.body(), true, null) : ok;
  }

  /**
   * An embedding call ({@link Embeddings}): the key, model, storms, limits, per-text quota and
   * faults as for generation; every text is logged as a request of its own, as Gemini counts it.
   */
  private Reply embed(Arrival call, String key, String model, String method, byte[] raw)
      throws InterruptedException {
    List<Embeddings.Item> items;
    try {
      items = Embeddings.parse(method, JSON.readTree(raw));
    } catch (IOException | RuntimeException e) {
      JsonNode body = Envelopes.error(400, "INVALID_ARGUMENT", e.getMessage());
      return logged(call, Request.none(), 400, "bad_request", body);
    }
    List<Request> texts = items.stream().map(i -> Request.text(i.text())).toList();
    Reply r = checkKey(key, model, true);
    String outcome = r == null ? null : Reply.outcomeOf(r);
    if (r == null && !Embeddings.MODELS.contains(model)) {
      r = new Reply(404, Envelopes.modelNotFound(model));
      outcome = "not_found";
    }
    if (r == null && (r = storms.answer(key, model)) != null) outcome = Reply.stormOutcome(r);
    String tooLong = r == null ? Embeddings.tooLong(method, items) : null;
    if (tooLong != null) {
      r = new Reply(400, Envelopes.error(400, "INVALID_ARGUMENT", tooLong));
      outcome = "bad_request";
    }
    ProjectQuota.Verdict v =
        r == null
            ? quotaOf(key, model).admit(call.nanos(), items.size(), Embeddings.tokens(items))
            : null;
    if (v != null && !v.admitted()) {
      r = new Reply(429, Envelopes.rateLimited(v.quotaId(), model, v.limit(), v.retryDelay()));
      outcome = v.quotaId().contains("PerDay") ? "daily_limit" : "rate_limited";
    }
    if (r == null) {
      Fault fault = null;
      for (int i = 0; fault == null && i < items.size(); i++)
        fault = directives.fault(items.get(i).text());
      if (fault == null) fault = config.randomFault(random);
      config.sleepLatency("");
      r =
          fault == null
              ? new Reply(200, Embeddings.answer(method, items))
              : new Reply(fault.httpCode, responses.faultBody(fault, model, texts.get(0)));
      outcome = fault == null ? "ok" : fault.name().toLowerCase(java.util.Locale.ROOT);
    }
    for (Request t : texts) logged(call, t, r.status(), outcome, r.body());
    return r;
  }

  /** The Files API behind the key check, but for upload chunks: their session is the credential. */
  private Reply files(HttpExchange ex, String key, byte[] raw, String uriPath) throws IOException {
    if (FilesApi.isChunk(ex, uriPath)) {
      FilesApi.Reply r = filesApi.route(ex, null, null, raw, uriPath);
      return new Reply(r.status(), r.body(), false, null, r.headers());
    }
    Reply keyProblem = checkKey(key, "files", false);
    if (keyProblem != null) return keyProblem;
    FilesApi.Reply r = filesApi.route(ex, projectOf(key), SimText.mask(key), raw, uriPath);
    return new Reply(r.status(), r.body(), false, null, r.headers());
  }

  /** Explicit context caches (see {@link CachesApi}), behind the same key check. */
  private Reply caches(HttpExchange ex, String key, byte[] raw, String uriPath) {
    Reply keyProblem = checkKey(key, "cachedContents", false);
    if (keyProblem != null) return keyProblem;
    long now = config.clock().getAsLong();
    return caches.route(ex.getRequestMethod(), uriPath, projectOf(key), raw, now);
  }

  /** The Batch API (see {@link BatchApi}), behind the same key check as every other method. */
  private Reply batch(HttpExchange ex, String key, byte[] raw, String uriPath) {
    Reply keyProblem = checkKey(key, "batches", false);
    if (keyProblem != null) return keyProblem;
    BatchApi.Reply r = batchApi.route(ex.getRequestMethod(), uriPath, key, projectOf(key), raw);
    return r.bytes() != null
        ? new Reply(r.status(), null, false, null, Map.of(), r.bytes())
        : new Reply(r.status(), r.json());
  }

  /**
   * One request of a batch job, answered by generateContent's rules without quota, storms or
   * latency: a response (safety blocks and empty answers included), or a google.rpc.Status error
   * for what would be an HTTP error.
   */
  private BatchApi.One batchAnswer(String key, String model, JsonNode body) {
    try {
      Request req = Request.parse(body);
      FilesApi.Resolved files = filesApi.resolve(req.parts(), projectOf(key));
      if (files.denied() != null)
        return batchError(403, files.denied().body().path("error").path("message").asText());
      req = req.withParts(files.parts());
      String invalid = Generation.invalid(model, req);
      if (invalid != null) return batchError(400, invalid);
      Fault fault = directives.fault(req.prompt());
      if (fault == null) return new BatchApi.One(responses.success(model, req), null);
      if (fault.httpCode == 200 && !WireFaults.isWire(fault))
        return new BatchApi.One(responses.faultBody(fault, model, req), null);
      return WireFaults.isWire(fault)
          ? batchError(500, Fault.INTERNAL.message)
          : batchError(fault.httpCode, fault.message);
    } catch (IOException | RuntimeException e) {
      return batchError(400, "Invalid request: " + e.getClass().getSimpleName());
    }
  }

  private static BatchApi.One batchError(int code, String message) {
    return new BatchApi.One(
        null, JSON.createObjectNode().put("code", code).put("message", message));
  }

  /** The project a key belongs to: its declared project, else a project of its own. */
  private String projectOf(String key) {
    String p = config.projectOfKey().get(key);
    return p != null ? p : "key " + SimText.mask(key);
  }

  /** The reply to a Gemini method call, after the call is logged with its answer. */
  private Reply logged(Arrival call, Request req, int status, String outcome, JsonNode body) {
    SimRequest r = call.logged(req, status, outcome);
    if (config.keepLog()) log.add(r);
    if (logFile != null) logFile.write(r);
    return new Reply(status, body);
  }

  /**
   * Null when the key may go on to its project's quota; otherwise the error the real API would
   * give.
   */
  private Reply checkKey(String key, String model, boolean counts) {
    if (key == null || key.isBlank()) return new Reply(403, Envelopes.unregisteredCaller());
    KeyBehavior b = config.keys().getOrDefault(key, config.unknownKeys());
    AtomicInteger counter = requestsPerKey.computeIfAbsent(key, k -> new AtomicInteger());
    int n = counts ? counter.getAndIncrement() : counter.get();
    return switch (b.kind()) {
      case OK -> null;
      case INVALID -> new Reply(400, Envelopes.keyInvalid());
      case SUSPENDED -> n >= b.afterRequests() ? new Reply(403, Envelopes.suspended(key)) : null;
      case PERMISSION_DENIED -> new Reply(403, Envelopes.permissionDenied());
      case MODEL_DENIED ->
          model.equals(b.model()) ? new Reply(403, Envelopes.modelDenied(model)) : null;
      case RATE_LIMITED ->
          n < b.afterRequests()
              ? new Reply(
                  429, Envelopes.rateLimited(Envelopes.PER_MINUTE, model, 10, b.retryDelay()))
              : null;
      case DAILY_LIMIT_REACHED ->
          new Reply(429, Envelopes.rateLimited(Envelopes.PER_DAY, model, 250, Duration.ZERO));
    };
  }

  /** As at Gemini, each model has its own counters in a project (or a key without one). */
  private ProjectQuota quotaOf(String key, String model) {
    String project = config.projectOfKey().get(key);
    Quota q = project != null ? config.projects().get(project) : config.quotaPerKey();
    String id = (project != null ? "project:" + project : "key:" + key) + " " + model;
    return quotas.computeIfAbsent(id, k -> new ProjectQuota(q));
  }
}
