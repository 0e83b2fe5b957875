package dev.gkr.internal.batchmode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.genai.Client;
import com.google.genai.types.BatchJob;
import com.google.genai.types.BatchJobSource;
import com.google.genai.types.Content;
import com.google.genai.types.CreateBatchJobConfig;
import com.google.genai.types.GenerateContentResponse;
import com.google.genai.types.InlinedRequest;
import com.google.genai.types.InlinedResponse;
import com.google.genai.types.JobError;
import com.google.genai.types.UploadFileConfig;
import dev.gkr.ErrorType;
import dev.gkr.Outcome;
import dev.gkr.internal.call.Classifier;
import dev.gkr.internal.call.Transport;
import dev.gkr.internal.common.ApiKey;
import dev.gkr.internal.common.Json;
import dev.gkr.internal.config.Settings;
import dev.gkr.internal.request.TaskRequest;
import dev.gkr.internal.task.TaskState;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Gemini Batch Mode calls through the SDK's {@code client.batches} and {@code client.files}. Each
 * request carries the task's id as its key and the very request a synchronous call of the task
 * would send (contents with its files, system instruction, generationConfig, safety settings):
 * inline in the create call while the job stays under {@link BatchOptions#inlineBytes}, else as a
 * JSONL file uploaded through the Files API. Not thread-safe: the one coordinator thread of {@link
 * BatchLoop} uses it.
 */
final class BatchJobs {
  /** A job's state as gkr acts on it. */
  enum State {
    PENDING,
    RUNNING,
    SUCCEEDED,
    FAILED,
    CANCELLED,
    EXPIRED,
    UNKNOWN;

    boolean done() {
      return this != PENDING && this != RUNNING && this != UNKNOWN;
    }
  }

  /** One request's answer inside a finished job, by task id. */
  record Keyed(String id, Outcome outcome) {}

  private final Settings settings;
  private final Transport transport;

  BatchJobs(Settings settings, Transport transport) {
    this.settings = settings;
    this.transport = transport;
  }

  /** Creates a job of these tasks with this key; returns its name ({@code batches/...}). */
  String submit(ApiKey key, String displayName, List<TaskState> tasks) throws IOException {
    Client c = transport.client(key);
    List<InlinedRequest> inline = new ArrayList<>(tasks.size());
    long size = 0;
    for (TaskState t : tasks) {
      InlinedRequest r =
          InlinedRequest.builder()
              .contents(List.of(transport.contentFor(key, t.task().prompt(), t.request())))
              .config(transport.configFor(t.request()))
              .metadata(Map.of("key", t.id()))
              .build();
      size += r.toJson().length();
      inline.add(r);
    }
    BatchJobSource src;
    if (size <= settings.batch().inlineBytes()) {
      src = BatchJobSource.builder().inlinedRequests(inline).build();
    } else {
      StringBuilder jsonl = new StringBuilder();
      for (int i = 0; i < tasks.size(); i++) {
        ObjectNode line = Json.MAPPER.createObjectNode().put("key", tasks.get(i).id());
        line.set(
            "request",
            restRequest(inline.get(i).contents().orElseThrow().get(0), tasks.get(i).request()));
        jsonl.append(Json.MAPPER.writeValueAsString(line)).append('\n');
      }
      var file =
          c.files.upload(
              jsonl.toString().getBytes(StandardCharsets.UTF_8),
              UploadFileConfig.builder()
                  .mimeType("application/jsonl")
                  .displayName(displayName)
                  .build());
      src = BatchJobSource.builder().fileName(file.name().orElseThrow()).build();
    }
    BatchJob job =
        c.batches.create(
            settings.model(), src, CreateBatchJobConfig.builder().displayName(displayName).build());
    return job.name()
        .orElseThrow(() -> new IOException("the Batch API returned a job without a name"));
  }

  /** The request of one JSONL line, in the REST shape generateContent takes. */
  private JsonNode restRequest(Content content, TaskRequest request) throws IOException {
    ObjectNode r = Json.MAPPER.createObjectNode();
    r.putArray("contents").add(Json.MAPPER.readTree(content.toJson()));
    Optional<String> system = request == null ? settings.systemInstruction() : request.system();
    system.ifPresent(
        s -> r.putObject("systemInstruction").putArray("parts").addObject().put("text", s));
    ObjectNode gen =
        request == null ? settings.request().generationConfig() : request.generationConfig();
    if (gen != null && !gen.isEmpty()) r.set("generationConfig", gen);
    if (!settings.request().safety().isEmpty()) {
      ArrayNode safety = r.putArray("safetySettings");
      for (var s : settings.request().safety()) safety.add(Json.MAPPER.readTree(s.toJson()));
    }
    return r;
  }

  /**
   * The job of this display name among the key's project's jobs, if the create call reached the
   * API.
   */
  Optional<String> findByDisplayName(ApiKey key, String displayName) {
    for (BatchJob j : transport.client(key).batches.list(null)) {
      if (displayName.equals(j.displayName().orElse(""))) return j.name();
    }
    return Optional.empty();
  }

  BatchJob get(ApiKey key, String name) {
    return transport.client(key).batches.get(name, null);
  }

  void cancel(ApiKey key, String name) {
    transport.client(key).batches.cancel(name, null);
  }

  static State state(BatchJob job) {
    if (job.state().isEmpty()) return State.UNKNOWN;
    return switch (job.state().get().knownEnum()) {
      case JOB_STATE_PENDING, JOB_STATE_QUEUED -> State.PENDING;
      case JOB_STATE_RUNNING, JOB_STATE_UPDATING, JOB_STATE_CANCELLING, JOB_STATE_PAUSED ->
          State.RUNNING;
      case JOB_STATE_SUCCEEDED, JOB_STATE_PARTIALLY_SUCCEEDED -> State.SUCCEEDED;
      case JOB_STATE_FAILED -> State.FAILED;
      case JOB_STATE_CANCELLED -> State.CANCELLED;
      case JOB_STATE_EXPIRED -> State.EXPIRED;
      default -> State.UNKNOWN;
    };
  }

  /**
   * The answers of a SUCCEEDED job, classified by the synchronous mode's rules: inline, or from its
   * results file.
   */
  List<Keyed> results(ApiKey key, BatchJob job) throws IOException {
    List<Keyed> out = new ArrayList<>();
    Classifier classifier = transport.classifier();
    var dest = job.dest();
    if (dest.isPresent() && dest.get().inlinedResponses().isPresent()) {
      for (InlinedResponse r : dest.get().inlinedResponses().get()) {
        String id = r.metadata().map(m -> m.get("key")).orElse(null);
        if (id == null) continue;
        out.add(
            new Keyed(
                id,
                r.response().isPresent()
                    ? classifier.ofResponse(r.response().get(), Duration.ZERO)
                    : error(classifier, r.error().orElse(null))));
      }
    } else if (dest.isPresent() && dest.get().fileName().isPresent()) {
      Path tmp = Files.createTempFile("gkr-batch-", ".jsonl");
      try {
        transport.client(key).files.download(dest.get().fileName().get(), tmp.toString(), null);
        for (String line : Files.readAllLines(tmp, StandardCharsets.UTF_8)) {
          if (line.isBlank()) continue;
          JsonNode n = Json.MAPPER.readTree(line);
          String id = n.path("key").asText(null);
          if (id == null) continue;
          out.add(
              new Keyed(
                  id,
                  n.has("response")
                      ? classifier.ofResponse(
                          GenerateContentResponse.fromJson(n.get("response").toString()),
                          Duration.ZERO)
                      : error(classifier, JobError.fromJson(n.path("error").toString()))));
        }
      } finally {
        Files.deleteIfExists(tmp);
      }
    }
    return out;
  }

  private static Outcome error(Classifier classifier, JobError e) {
    if (e == null)
      return new Outcome.Failure(
          ErrorType.SERVER_ERROR,
          0,
          "",
          "the batch gave neither a response nor an error",
          Optional.empty(),
          Duration.ZERO);
    return classifier.ofApiError(e.code().orElse(500), "", e.message().orElse(""), Duration.ZERO);
  }
}
