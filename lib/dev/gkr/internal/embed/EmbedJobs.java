package dev.gkr.internal.embed;

import com.google.genai.types.BatchJob;
import com.google.genai.types.Content;
import com.google.genai.types.ContentEmbedding;
import com.google.genai.types.CreateEmbeddingsBatchJobConfig;
import com.google.genai.types.EmbedContentBatch;
import com.google.genai.types.EmbedContentConfig;
import com.google.genai.types.EmbeddingsBatchJobSource;
import com.google.genai.types.InlinedEmbedContentResponse;
import com.google.genai.types.JobError;
import com.google.genai.types.JobState;
import com.google.genai.types.Part;
import com.google.genai.types.SingleEmbedContentResponse;
import dev.gkr.Embedding;
import dev.gkr.ErrorType;
import dev.gkr.Outcome;
import dev.gkr.internal.call.Transport;
import dev.gkr.internal.common.ApiKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Embedding batch jobs through the SDK (2.0.0): {@code batches.createEmbeddings} with the texts
 * inline ({@code asyncBatchEmbedContent}), {@code batches.list} to find a job by display name,
 * {@code batches.get} to poll, and a finished job's {@code inlinedEmbedContentResponses} read in
 * the order of its requests.
 */
final class EmbedJobs {
  /** Where a job is, as gkr acts on it. */
  enum Phase {
    RUNNING,
    SUCCEEDED,
    ENDED
  }

  /** One request's answer: a vector (and the tokens Gemini counted, if it said), or a failure. */
  record Answer(float[] vector, Optional<Long> tokens, Outcome.Failure failure) {}

  private final Transport transport;
  private final Embedding how;

  EmbedJobs(Transport transport, Embedding how) {
    this.transport = transport;
    this.how = how;
  }

  /** Creates a job of these texts (one title for all); returns its name, {@code batches/...}. */
  String create(ApiKey key, String displayName, List<String> texts, String title) {
    EmbedContentConfig.Builder c = EmbedContentConfig.builder();
    how.dimensions().ifPresent(c::outputDimensionality);
    how.taskType().ifPresent(c::taskType);
    if (!title.isEmpty()) c.title(title);
    List<Content> contents = new ArrayList<>(texts.size());
    for (String t : texts) contents.add(Content.fromParts(Part.fromText(t)));
    EmbeddingsBatchJobSource src =
        EmbeddingsBatchJobSource.builder()
            .inlinedRequests(EmbedContentBatch.builder().contents(contents).config(c.build()))
            .build();
    BatchJob job =
        transport
            .client(key)
            .batches
            .createEmbeddings(
                how.model(),
                src,
                CreateEmbeddingsBatchJobConfig.builder().displayName(displayName).build());
    return job.name().orElseThrow(() -> new IllegalStateException("a batch job without a name"));
  }

  /** The job of this display name among the key's project's jobs, if the create reached Gemini. */
  Optional<String> find(ApiKey key, String displayName) {
    try {
      for (BatchJob b : transport.client(key).batches.list(null))
        if (displayName.equals(b.displayName().orElse("")) && b.name().isPresent()) return b.name();
    } catch (RuntimeException e) { // not reachable now: treated as not created
    }
    return Optional.empty();
  }

  BatchJob get(ApiKey key, String name) {
    return transport.client(key).batches.get(name, null);
  }

  static Phase phase(BatchJob job) {
    return switch (job.state()
        .map(JobState::knownEnum)
        .orElse(JobState.Known.JOB_STATE_UNSPECIFIED)) {
      case JOB_STATE_SUCCEEDED, JOB_STATE_PARTIALLY_SUCCEEDED -> Phase.SUCCEEDED;
      case JOB_STATE_FAILED, JOB_STATE_CANCELLED, JOB_STATE_EXPIRED -> Phase.ENDED;
      default -> Phase.RUNNING;
    };
  }

  /** The answers of a succeeded job of {@code n} requests, in order (missing ones failed). */
  List<Answer> answers(BatchJob job, int n) {
    List<InlinedEmbedContentResponse> all =
        job.dest().flatMap(d -> d.inlinedEmbedContentResponses()).orElse(List.of());
    List<Answer> out = new ArrayList<>(n);
    for (int k = 0; k < n; k++) {
      InlinedEmbedContentResponse a = k < all.size() ? all.get(k) : null;
      Optional<SingleEmbedContentResponse> r = a == null ? Optional.empty() : a.response();
      Optional<ContentEmbedding> e = r.flatMap(SingleEmbedContentResponse::embedding);
      if (e.isPresent()) {
        float[] v = EmbedCall.normalised(how, e.get().values().orElse(List.of()));
        out.add(new Answer(v, r.get().tokenCount(), null));
        continue;
      }
      Optional<JobError> err = a == null ? Optional.empty() : a.error();
      Outcome.Failure f =
          transport
              .classifier()
              .ofApiError(
                  err.flatMap(JobError::code).orElse(500),
                  "",
                  err.flatMap(JobError::message).orElse("the job gave no answer for this text"),
                  Duration.ZERO);
      boolean tooLong =
          f.type() == ErrorType.BAD_REQUEST && f.message().contains("input token count");
      out.add(new Answer(null, Optional.empty(), tooLong ? EmbedCall.asTooLong(f) : f));
    }
    return out;
  }
}
