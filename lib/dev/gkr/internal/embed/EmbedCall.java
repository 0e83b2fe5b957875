package dev.gkr.internal.embed;

import com.google.genai.types.ContentEmbedding;
import com.google.genai.types.EmbedContentConfig;
import com.google.genai.types.EmbedContentResponse;
import dev.gkr.Embedding;
import dev.gkr.ErrorType;
import dev.gkr.Outcome;
import dev.gkr.internal.call.Transport;
import dev.gkr.internal.common.ApiKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One pack through the SDK: {@code Models.embedContent(model, List<String>, config)}, which the SDK
 * (2.0.0) sends as one {@code batchEmbedContents} call. The answer becomes vectors (normalised when
 * shortened) or a failure typed by the {@link dev.gkr.internal.call.Classifier}, with the index of
 * the text Gemini named as over its input limit.
 */
final class EmbedCall {
  /** Gemini's 400 for a text over the limit names it: {@code requests[7]: input token count}. */
  private static final Pattern TOO_LONG =
      Pattern.compile("requests\\[(\\d+)]\\S*:? input token count|content\\S*:? input token count");

  sealed interface Result {}

  record Vectors(List<float[]> vectors, Duration latency) implements Result {}

  /** {@code tooLong}: the index in the pack of the text over the input limit, if one was named. */
  record Failed(Outcome.Failure failure, Optional<Integer> tooLong) implements Result {}

  private final Transport transport;
  private final Embedding how;

  EmbedCall(Transport transport, Embedding how) {
    this.transport = transport;
    this.how = how;
  }

  Result send(ApiKey key, List<String> texts, String title, long startNanos, long nowNanos) {
    EmbedContentConfig.Builder c = EmbedContentConfig.builder();
    how.dimensions().ifPresent(c::outputDimensionality);
    how.taskType().ifPresent(c::taskType);
    if (!title.isEmpty()) c.title(title);
    try {
      EmbedContentResponse r =
          transport.client(key).models.embedContent(how.model(), texts, c.build());
      List<ContentEmbedding> es = r.embeddings().orElse(List.of());
      Duration latency = Duration.ofNanos(nowNanos - startNanos);
      if (es.size() != texts.size())
        return new Failed(
            transport
                .classifier()
                .ofApiError(
                    500,
                    "INTERNAL",
                    "the answer held " + es.size() + " embeddings for " + texts.size() + " texts",
                    latency),
            Optional.empty());
      List<float[]> out = new ArrayList<>(es.size());
      for (ContentEmbedding e : es) out.add(normalised(how, e.values().orElse(List.of())));
      return new Vectors(out, latency);
    } catch (RuntimeException e) {
      Outcome.Failure f = transport.classifier().ofException(e, Duration.ZERO);
      return new Failed(
          f, f.type() == ErrorType.BAD_REQUEST ? tooLong(f.message(), texts) : Optional.empty());
    }
  }

  /** The failure as a too-long text's own ({@code input_too_long}). */
  static Outcome.Failure asTooLong(Outcome.Failure f) {
    return new Outcome.Failure(
        ErrorType.INPUT_TOO_LONG,
        f.httpCode(),
        f.status(),
        f.message(),
        f.retryDelay(),
        f.latency());
  }

  private static Optional<Integer> tooLong(String message, List<String> texts) {
    Matcher m = TOO_LONG.matcher(message == null ? "" : message);
    if (!m.find()) return Optional.empty();
    if (m.group(1) == null) return texts.size() == 1 ? Optional.of(0) : Optional.empty();
    int i = Integer.parseInt(m.group(1));
    return i < texts.size() ? Optional.of(i) : Optional.empty();
  }

  /** A shortened vector to length 1 (Gemini returns it unnormalised); a full one as it came. */
  static float[] normalised(Embedding how, List<Float> values) {
    float[] v = new float[values.size()];
    double norm = 0;
    for (int i = 0; i < v.length; i++) {
      v[i] = values.get(i);
      norm += (double) v[i] * v[i];
    }
    if (how.dimensions().isEmpty() || v.length >= Embedding.NATIVE_DIMENSIONS || norm == 0)
      return v;
    double n = Math.sqrt(norm);
    for (int i = 0; i < v.length; i++) v[i] = (float) (v[i] / n);
    return v;
  }
}
