package dev.gkr.internal.call;

import com.google.genai.Client;
import com.google.genai.types.ClientOptions;
import com.google.genai.types.Content;
import com.google.genai.types.GenerateContentConfig;
import com.google.genai.types.GenerateContentResponse;
import com.google.genai.types.HttpOptions;
import com.google.genai.types.HttpRetryOptions;
import com.google.genai.types.Part;
import dev.gkr.ErrorType;
import dev.gkr.Outcome;
import dev.gkr.internal.common.ApiKey;
import dev.gkr.internal.common.Clock;
import dev.gkr.internal.common.Redactor;
import dev.gkr.internal.config.Settings;
import dev.gkr.internal.cost.PriceTier;
import dev.gkr.internal.request.Attachment;
import dev.gkr.internal.request.GenerationConfig;
import dev.gkr.internal.request.TaskRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;

/**
 * The real call path: one SDK {@link Client} per key, all sharing one OkHttp client whose
 * connection pool keeps an idle connection for every slot. What that sizing protects against: the
 * SDK's {@code generateContent} calls OkHttp's blocking {@code execute()}, which the dispatcher's
 * limits (64 requests, 5 per host by default) do not govern (they apply to {@code enqueue()} only),
 * so the slots alone bound the requests in flight; but a stock pool keeps only 5 idle connections
 * and closes the rest, so with more slots most requests would open a new connection (a TCP and TLS
 * handshake with Google). TransportTest counts it: 500 requests over 250 slots use 250 connections
 * with this pool (a stock pool's count depends on when its cleanup runs, so none is claimed). The
 * dispatcher is sized the same in case a call is ever enqueued, and is kept for {@link #cancelAll},
 * which reaches blocking calls too. The SDK's own retries are off: they sleep inside OkHttp and
 * ignore RetryInfo; the engine retries instead. "Off" takes both {@code attempts(1)} and an empty
 * status list: with attempts(1) alone, the SDK's RetryInterceptor (2.0.0) still sleeps one backoff
 * delay after a 429 or 5xx before handing it back.
 */
public final class Transport implements AutoCloseable {

  private final OkHttpClient http;
  private final CallDeadline deadline;
  private final List<Client> clients = new ArrayList<>();
  private final String model;
  private final GenerateContentConfig config;
  private final Classifier classifier;
  private final Clock clock;
  private final List<com.google.genai.types.SafetySetting> safety;
  private final FileUploads uploads;
  private final int contextFiles;
  private final ContextCaches caches; // null: the context goes inline in every request

  /** The serviceTier sent on every request (Flex or standard), or null to send none. */
  private final com.google.genai.types.ServiceTier tier;

  /** A transport that sends the shared context inline (Batch Mode, embeddings, one prompt). */
  public Transport(Settings s, Redactor redactor) {
    this(s, redactor, null);
  }

  /** A transport with explicit context caches per project as {@code cache} decided (null: none). */
  public Transport(Settings s, Redactor redactor, CacheSetup cache) {
    int concurrency = Math.max(64, s.slotCount() + 16);
    Dispatcher dispatcher = new Dispatcher();
    dispatcher.setMaxRequests(concurrency);
    dispatcher.setMaxRequestsPerHost(concurrency);
    this.deadline = new CallDeadline(s.timeout());
    java.util.Optional<String> endpoint = s.endpoint(System.getenv());
    // No OkHttp timeouts at all (and none passed to the SDK, which would set a call timeout): see
    // CallDeadline.
    this.http =
        new OkHttpClient.Builder()
            .dispatcher(dispatcher)
            .connectionPool(new ConnectionPool(concurrency, 5, TimeUnit.MINUTES))
            .connectTimeout(Duration.ZERO)
            .readTimeout(Duration.ZERO)
            .writeTimeout(Duration.ZERO)
            .callTimeout(Duration.ZERO)
            .addInterceptor(deadline)
            .addNetworkInterceptor(new PlainHttpGuard(endpoint))
            .build();
    HttpOptions.Builder options =
        HttpOptions.builder()
            .apiVersion("v1beta")
            .retryOptions(
                HttpRetryOptions.builder().attempts(1).httpStatusCodes(List.of()).build());
    endpoint.ifPresent(options::baseUrl);
    HttpOptions httpOptions = options.build();
    ClientOptions clientOptions = ClientOptions.builder().customHttpClient(http).build();
    for (ApiKey key : s.keys()) {
      clients.add(
          Client.builder()
              .apiKey(key.secret())
              .httpOptions(httpOptions)
              .clientOptions(clientOptions)
              .build());
    }
    this.model = s.model();
    this.clock = s.clock();
    this.tier =
        s.serviceTier()
            .map(
                t ->
                    new com.google.genai.types.ServiceTier(
                        t == PriceTier.FLEX
                            ? com.google.genai.types.ServiceTier.Known.FLEX
                            : com.google.genai.types.ServiceTier.Known.STANDARD))
            .orElse(null);
    this.config = tiered(generationConfig(s));
    this.safety = s.request().safety();
    this.uploads = new FileUploads(s);
    this.contextFiles = s.request().context().size();
    this.classifier = new Classifier(redactor);
    this.caches =
        cache != null
            ? new ContextCaches(
                s.model(),
                s.systemInstruction(),
                s.projectOfKey(),
                cache,
                clock,
                classifier,
                s.prices().cacheStorage(s.model()),
                s.prices()
                    .cachedSaving(
                        s.model(),
                        s.serviceTier().orElse(dev.gkr.internal.cost.PriceTier.STANDARD)))
            : null;
    if (caches != null) caches.deleteStale(clients, false);
    WarmUp.clientPath(config, classifier); // not timed as the first requests' latency
  }

  private static GenerateContentConfig generationConfig(Settings s) {
    return GenerationConfig.toSdk(
        s.request().generationConfig(), s.systemInstruction(), s.request().safety());
  }

  /**
   * The SDK sends {@code serviceTier} at the top of the request body, beside generationConfig
   * (checked with javap in 2.0.0).
   */
  private GenerateContentConfig tiered(GenerateContentConfig c) {
    return tier == null ? c : c.toBuilder().serviceTier(tier).build();
  }

  /** Sends one prompt once with the first key, on a transport of its own (tests, the bench). */
  public static Outcome once(Settings s, String prompt) {
    try (Transport transport = new Transport(s, new Redactor(s.keys()))) {
      return transport.generate(s.keys().get(0), prompt);
    }
  }

  /** Sends one prompt with one key; never throws for anything the network or the API does. */
  public Outcome generate(ApiKey key, String prompt) {
    return generate(key, prompt, null);
  }

  /**
   * Sends one task: its files, then its prompt, with its own settings when it has any (see {@link
   * TaskRequest}).
   */
  public Outcome generate(ApiKey key, String prompt, TaskRequest request) {
    return generate(key, model, prompt, request);
  }

  /** As {@link #generate(ApiKey, String, TaskRequest)}, asking {@code model} (a fallback). */
  public Outcome generate(ApiKey key, String model, String prompt, TaskRequest request) {
    long start = clock.nanoTime();
    try {
      GenerateContentConfig c =
          request != null && request.overridden()
              ? tiered(GenerationConfig.toSdk(request.generationConfig(), request.system(), safety))
              : config;
      Client client = clients.get(key.index());
      java.util.Optional<String> cache = cacheFor(key, client, model, request);
      if (cache.isPresent()) {
        Outcome o = cached(key, client, model, prompt, request, c, cache.get(), start);
        if (o instanceof Outcome.Failure f && lostCache(f) && caches.lost(key, cache.get()))
          return generate(key, model, prompt, request); // with the cache made again, or inline
        if (o instanceof Outcome.Success ok) caches.used(key, ok.cachedTokens());
        return o;
      }
      GenerateContentResponse r =
          request == null || request.files().isEmpty()
              ? client.models.generateContent(model, prompt, c)
              : client.models.generateContent(
                  model,
                  Content.builder().role("user").parts(parts(key, client, prompt, request)).build(),
                  c);
      return classifier.ofResponse(r, Duration.ofNanos(clock.nanoTime() - start));
    } catch (RuntimeException e) {
      return classifier.ofException(e, Duration.ofNanos(clock.nanoTime() - start));
    } catch (java.io.IOException e) {
      // a file that was checked before the run and vanished or broke since: this task's problem,
      // not the key's
      return new Outcome.Failure(
          ErrorType.BAD_REQUEST,
          0,
          "",
          "cannot read an attached file: " + e.getMessage(),
          java.util.Optional.empty(),
          Duration.ofNanos(clock.nanoTime() - start));
    }
  }

  /** One request naming the project's cache: only the task's own files and prompt go with it. */
  private Outcome cached(
      ApiKey key,
      Client client,
      String model,
      String prompt,
      TaskRequest request,
      GenerateContentConfig c,
      String cache,
      long start)
      throws java.io.IOException {
    GenerateContentConfig cached =
        c.toBuilder().clearSystemInstruction().cachedContent(cache).build();
    try {
      List<Part> own = fileParts(key, client, request.files().subList(contextFiles, n(request)));
      own.add(Part.fromText(prompt));
      GenerateContentResponse r =
          client.models.generateContent(
              model, Content.builder().role("user").parts(own).build(), cached);
      return classifier.ofResponse(r, Duration.ofNanos(clock.nanoTime() - start));
    } catch (RuntimeException e) {
      return classifier.ofException(e, Duration.ofNanos(clock.nanoTime() - start));
    }
  }

  /**
   * The API's answer when a request names a cache that expired or was deleted: 403 "CachedContent
   * not found (or permission denied)", or a 404 naming it.
   */
  private static boolean lostCache(Outcome.Failure f) {
    String m = f.message().toLowerCase(java.util.Locale.ROOT);
    return (f.httpCode() == 403 || f.httpCode() == 404)
        && (m.contains("cachedcontent") || m.contains("cached content"));
  }

  private static int n(TaskRequest request) {
    return request.files().size();
  }

  /**
   * The cache of the key's project for a request that starts with the shared context and has no
   * system or config of its own, on the run's own model; empty: send everything inline.
   */
  private java.util.Optional<String> cacheFor(
      ApiKey key, Client client, String model, TaskRequest request) {
    if (caches == null
        || request == null
        || request.overridden()
        || !model.equals(this.model)
        || n(request) < contextFiles) return java.util.Optional.empty();
    return caches.name(
        key, client, () -> fileParts(key, client, request.files().subList(0, contextFiles)));
  }

  private List<Part> parts(ApiKey key, Client client, String prompt, TaskRequest request)
      throws java.io.IOException {
    List<Part> parts = fileParts(key, client, request.files());
    parts.add(Part.fromText(prompt));
    return parts;
  }

  private List<Part> fileParts(ApiKey key, Client client, List<Attachment> files)
      throws java.io.IOException {
    List<Part> parts = new ArrayList<>(files.size() + 1);
    for (Attachment a : files) {
      parts.add(
          switch (a) {
            case Attachment.Local l when l.upload() -> uploads.part(key, client, l);
            case Attachment.Local l ->
                Part.fromBytes(java.nio.file.Files.readAllBytes(l.path()), l.mimeType());
            case Attachment.Remote u ->
                u.mimeType().isEmpty()
                    ? Part.builder()
                        .fileData(com.google.genai.types.FileData.builder().fileUri(u.uri()))
                        .build()
                    : Part.fromUri(u.uri(), u.mimeType());
          });
    }
    return parts;
  }

  // --- Batch Mode: the same client, config and parts a synchronous request of the task
  // would use. ---

  public Client client(ApiKey key) {
    return clients.get(key.index());
  }

  public GenerateContentConfig configFor(TaskRequest request) {
    return request != null && request.overridden()
        ? GenerationConfig.toSdk(request.generationConfig(), request.system(), safety)
        : config;
  }

  public Content contentFor(ApiKey key, String prompt, TaskRequest request)
      throws java.io.IOException {
    List<Part> ps =
        request == null || request.files().isEmpty()
            ? List.of(Part.fromText(prompt))
            : parts(key, clients.get(key.index()), prompt, request);
    return Content.builder().role("user").parts(ps).build();
  }

  public Classifier classifier() {
    return classifier;
  }

  /**
   * Per project, the context cache decided and what it saved (complete after {@link #close}); empty
   * when there was none to decide.
   */
  public List<String> cacheReport() {
    return caches == null ? List.of() : caches.report();
  }

  /** Aborts every call in flight (a hard stop). */
  public void cancelAll() {
    http.dispatcher().cancelAll();
  }

  @Override
  public void close() {
    if (caches != null) caches.deleteAll(clients); // before the clients close
    for (Client c : clients) {
      try {
        c.close();
      } catch (Exception ignored) {
        // closing shared resources twice is harmless
      }
    }
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
    deadline.close();
  }
}
