package dev.gkr.internal.call;

import com.google.genai.types.Content;
import com.google.genai.types.GenerateContentConfig;
import com.google.genai.types.GenerateContentResponse;
import com.google.genai.types.Part;
import java.time.Duration;

/**
 * Loads what the first request of a fresh JVM would load while its latency is being timed: the
 * SDK's Jackson (de)serializers for a request and an answer, the classifier's path, OkHttp's
 * request types. Measured against the simulator at 200 ms ± 1 ms, its server side warmed first: the
 * first six requests of a new JVM took 1,450 to 2,200 ms each (every later one about 220 ms), the
 * client's class loading and first JIT counted as the request's latency; after this warm-up (0.6 to
 * 1 s, once per JVM, before the run's clock starts) they take 330 to 470 ms, the rest being the
 * first connection and OkHttp's threads, which a real first request pays too. Nothing is sent.
 */
final class WarmUp {
  private static final String ANSWER =
      "{\"candidates\":[{\"content\":{\"role\":\"model\",\"parts\":[{\"text\":\"ok\"}]},"
          + "\"finishReason\":\"STOP\"}],\"usageMetadata\":{\"promptTokenCount\":1,"
          + "\"candidatesTokenCount\":1,\"totalTokenCount\":2},\"modelVersion\":\"warm-up\"}";

  private WarmUp() {}

  /** Runs a request's and an answer's client-side path once, offline; quick when done before. */
  static void clientPath(GenerateContentConfig config, Classifier classifier) {
    config.toJson();
    Content.builder().role("user").parts(Part.fromText("warm-up")).build().toJson();
    classifier.ofResponse(GenerateContentResponse.fromJson(ANSWER), Duration.ZERO);
    new okhttp3.Request.Builder()
        .url("http://127.0.0.1/warm-up")
        .post(
            okhttp3.RequestBody.create(
                "{}", okhttp3.MediaType.parse("application/json; charset=utf-8")))
        .header("x-goog-api-key", "warm-up")
        .build();
  }
}
