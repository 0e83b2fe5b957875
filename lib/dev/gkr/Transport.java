package dev.gkr;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.genai.Client;
import com.google.genai.types.ClientOptions;
import com.google.genai.types.Content;
import com.google.genai.types.GenerateContentConfig;
import com.google.genai.types.GenerateContentResponse;
import com.google.genai.types.HttpOptions;
import com.google.genai.types.HttpRetryOptions;
import com.google.genai.types.Part;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;

/**
 * The real call path: one SDK {@link Client} per key, all sharing one OkHttp client whose connection pool keeps
 * an idle connection for every slot. What that sizing protects against: the SDK's {@code generateContent} calls
 * OkHttp's blocking {@code execute()}, which the dispatcher's limits (64 requests, 5 per host by default) do not
 * govern (they apply to {@code enqueue()} only), so the slots alone bound the requests in flight; but a stock
 * pool keeps only 5 idle connections and closes the rest, so with more slots most requests would open a new
 * connection (a TCP and TLS handshake with Google). TransportTest counts it: 500 requests over 250 slots use
 * 250 connections with this pool, 294 with a stock one. The dispatcher is sized the same in case a call is ever
 * enqueued, and is kept for {@link #cancelAll}, which reaches blocking calls too.
 * The SDK's own retries are off: they sleep inside OkHttp and ignore RetryInfo; the engine retries instead.
 * "Off" takes both {@code attempts(1)} and an empty status list: with attempts(1) alone, the SDK's
 * RetryInterceptor (2.0.0) still sleeps one backoff delay after a 429 or 5xx before handing it back.
 */
final class Transport implements AutoCloseable {
  static final String BASE_URL_ENV = "GOOGLE_GEMINI_BASE_URL";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final OkHttpClient http;
  private final CallDeadline deadline;
  private final List<Client> clients = new ArrayList<>();
  private final String model;
  private final GenerateContentConfig config;
  private final Classifier classifier;

  Transport(Settings s, Redactor redactor) {
    int concurrency = Math.max(64, s.slotCount() + 16);
    Dispatcher dispatcher = new Dispatcher();
    dispatcher.setMaxRequests(concurrency);
    dispatcher.setMaxRequestsPerHost(concurrency);
    this.deadline = new CallDeadline(s.timeout());
    // No OkHttp timeouts at all (and none passed to the SDK, which would set a call timeout): see CallDeadline.
    this.http = new OkHttpClient.Builder()
        .dispatcher(dispatcher)
        .connectionPool(new ConnectionPool(concurrency, 5, TimeUnit.MINUTES))
        .connectTimeout(Duration.ZERO).readTimeout(Duration.ZERO).writeTimeout(Duration.ZERO).callTimeout(Duration.ZERO)
        .addInterceptor(deadline)
        .build();
    HttpOptions.Builder options = HttpOptions.builder()
        .apiVersion("v1beta")
        .retryOptions(HttpRetryOptions.builder().attempts(1).httpStatusCodes(List.of()).build());
    s.baseUrl().or(() -> java.util.Optional.ofNullable(System.getenv(BASE_URL_ENV)).filter(u -> !u.isBlank()))
        .ifPresent(options::baseUrl);
    HttpOptions httpOptions = options.build();
    ClientOptions clientOptions = ClientOptions.builder().customHttpClient(http).build();
    for (ApiKey key : s.keys()) {
      clients.add(Client.builder().apiKey(key.secret()).httpOptions(httpOptions).clientOptions(clientOptions).build());
    }
    this.model = s.model();
    this.config = generationConfig(s);
    this.classifier = new Classifier(redactor);
  }

  private static GenerateContentConfig generationConfig(Settings s) {
    GenerateContentConfig.Builder b = GenerateContentConfig.builder();
    s.systemInstruction().ifPresent(text -> b.systemInstruction(Content.fromParts(Part.fromText(text))));
    s.temperature().ifPresent(t -> b.temperature(t.floatValue()));
    if (s.json().enabled()) {
      b.responseMimeType("application/json");
      s.json().schema().ifPresent(schema -> {
        try {
          b.responseJsonSchema(JSON.readValue(schema, Object.class));
        } catch (Exception e) {
          throw new IllegalArgumentException("JSON schema is not valid JSON: " + e.getMessage(), e);
        }
      });
    }
    return b.build();
  }

  /** Sends one prompt with one key; never throws for anything the network or the API does. */
  Outcome generate(ApiKey key, String prompt) {
    long start = System.nanoTime();
    try {
      GenerateContentResponse r = clients.get(key.index()).models.generateContent(model, prompt, config);
      return classifier.ofResponse(r, Duration.ofNanos(System.nanoTime() - start));
    } catch (RuntimeException e) {
      return classifier.ofException(e, Duration.ofNanos(System.nanoTime() - start));
    }
  }

  /** Aborts every call in flight (a hard stop). */
  void cancelAll() {
    http.dispatcher().cancelAll();
  }

  @Override
  public void close() {
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
