package dev.gkr.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Gemini's Batch API as Google's SDKs call it: {@code POST models/{model}:batchGenerateContent} (or
 * {@code :asyncBatchEmbedContent} for embeddings, whose answers come back as {@code
 * inlinedEmbedContentResponses}) with inline requests ({@code batch.inputConfig.requests.requests[]
 * = {request, metadata}}) or an uploaded JSONL file ({@code batch.inputConfig.fileName}, lines
 * {@code {key, request}}); {@code GET batches/{id}}, {@code GET batches}, {@code POST
 * batches/{id}:cancel}, {@code DELETE batches/{id}}; and {@code files/{id}:download?alt=media} for
 * a results file. A batch is a long-running operation whose {@code metadata} carries the state
 * ({@code BATCH_STATE_PENDING}..{@code EXPIRED}), {@code batchStats} and, when done, {@code
 * output}: inline responses for an inline job, a {@code responsesFile} for a file job, as the real
 * API answers. States follow a {@link BatchSchedule} on the simulator's clock; each request is
 * answered once, when the job first reads as SUCCEEDED, by the same rules as generateContent
 * (directives such as {@code [[sim:safety]]} give per-request errors) but without quotas, storms or
 * latency. Jobs belong to the creating key's project. Thread-safe.
 */
final class BatchApi {
  private static final ObjectMapper JSON = SimJson.MAPPER;
  private static final Pattern CREATE =
      Pattern.compile(
          "^/(v1beta|v1|v1alpha)/models/([^/:]+):(batchGenerateContent|asyncBatchEmbedContent)$");
  private static final Pattern ONE =
      Pattern.compile("^/(v1beta|v1|v1alpha)/batches/([^/:]+)(:cancel)?$");
  private static final Pattern LIST = Pattern.compile("^/(v1beta|v1|v1alpha)/batches/?$");
  private static final Pattern DOWNLOAD =
      Pattern.compile("^(?:/download)?/(v1beta|v1)/files/([^/:]+):download$");
  private static final String TYPE =
      "type.googleapis.com/google.ai.generativelanguage.v1main.GenerateContentBatch";
  private static final String EMBED_TYPE =
      "type.googleapis.com/google.ai.generativelanguage.v1main.EmbedContentBatch";

  /**
   * One request's answer inside a job: a generateContent response, or an error ({@code {code,
   * message}}).
   */
  record One(JsonNode response, JsonNode error) {}

  /** Answers one request of a job as generateContent would (key, model, request body). */
  interface Answerer {
    One answer(String key, String model, JsonNode request);
  }

  /**
   * A job as created. What becomes of it later is kept by name: {@link #cancelled}, {@link
   * #deleted}, {@link #answers}; its state follows the {@link BatchSchedule} from {@code
   * createdNanos}.
   */
  private record Job(
      String name,
      String project,
      String key,
      String model,
      String displayName,
      boolean fromFile,
      boolean embed,
      List<String> keys,
      List<JsonNode> requests,
      BatchSchedule.End end,
      long createdNanos,
      Instant createTime) {
    Job {
      keys = List.copyOf(keys);
      requests = List.copyOf(requests);
    }

    String maskedKey() {
      return SimText.mask(key);
    }
  }

  private final Map<String, Job> jobs = new ConcurrentHashMap<>();
  private final List<Job> created = java.util.Collections.synchronizedList(new ArrayList<>());
  private final Set<String> cancelled = ConcurrentHashMap.newKeySet();
  private final Set<String> deleted = ConcurrentHashMap.newKeySet();
  private final Map<String, List<One>> answers = new ConcurrentHashMap<>();
  private final AtomicInteger ids = new AtomicInteger();
  private final BatchSchedule schedule;
  private final LongSupplier clock;
  private final FilesApi files;
  private final Answerer answerer;
  private final Answerer embedder;

  /**
   * {@code answerer} answers a generation job's requests, {@code embedder} an embedding job's
   * ({@code asyncBatchEmbedContent}, each request an embedContent body).
   */
  BatchApi(
      BatchSchedule schedule,
      LongSupplier clock,
      FilesApi files,
      Answerer answerer,
      Answerer embedder) {
    this.schedule = schedule;
    this.clock = clock;
    this.files = files;
    this.answerer = answerer;
    this.embedder = embedder;
  }

  static boolean handles(String path) {
    return CREATE.matcher(path).matches()
        || ONE.matcher(path).matches()
        || LIST.matcher(path).matches()
        || DOWNLOAD.matcher(path).matches();
  }

  private String state(Job j) {
    if (cancelled.contains(j.name())) return "BATCH_STATE_CANCELLED";
    long since = clock.getAsLong() - j.createdNanos();
    if (since < schedule.pending().toNanos()) return "BATCH_STATE_PENDING";
    if (since < schedule.pending().plus(schedule.running()).toNanos()) return "BATCH_STATE_RUNNING";
    return "BATCH_STATE_" + j.end().name();
  }

  /** The answers of a succeeded job, made once, when it is first read. */
  private List<One> results(Job j) {
    return answers.computeIfAbsent(
        j.name(),
        n ->
            j.requests().stream()
                .map(r -> (j.embed() ? embedder : answerer).answer(j.key(), j.model(), r))
                .toList());
  }

  /** Every job created so far, in order, with its state now. */
  List<SimBatch> batches() {
    synchronized (created) {
      return created.stream()
          .map(
              j ->
                  new SimBatch(
                      j.name(),
                      j.project(),
                      j.maskedKey(),
                      j.model(),
                      j.fromFile(),
                      j.keys(),
                      state(j)))
          .toList();
    }
  }

  /**
   * The answer to one Batch API call of {@code key} (already checked) of {@code project}: status
   * and body (JSON or bytes).
   */
  record Reply(int status, JsonNode json, byte[] bytes) {}

  Reply route(String method, String path, String key, String project, byte[] raw) {
    try {
      Matcher m = CREATE.matcher(path);
      if (m.matches() && method.equals("POST"))
        return create(m.group(2), m.group(3).startsWith("async"), key, project, JSON.readTree(raw));
      m = DOWNLOAD.matcher(path);
      if (m.matches() && method.equals("GET")) {
        FilesApi.Stored f = files.stored("files/" + m.group(2), project);
        return f == null
            ? new Reply(
                404,
                Envelopes.error(404, "NOT_FOUND", "File files/" + m.group(2) + " not found."),
                null)
            : new Reply(200, null, f.data());
      }
      if (LIST.matcher(path).matches() && method.equals("GET")) return list(project);
      m = ONE.matcher(path);
      if (m.matches()) {
        Job j = jobs.get("batches/" + m.group(2));
        if (j == null || deleted.contains(j.name()) || !j.project().equals(project)) {
          return new Reply(
              404,
              Envelopes.error(404, "NOT_FOUND", "Batch batches/" + m.group(2) + " not found."),
              null);
        }
        if (m.group(3) != null && method.equals("POST")) return cancel(j);
        if (m.group(3) == null && method.equals("GET")) return new Reply(200, operation(j), null);
        if (m.group(3) == null && method.equals("DELETE")) {
          deleted.add(j.name());
          return new Reply(200, JSON.createObjectNode(), null);
        }
      }
      return new Reply(
          404, Envelopes.error(404, "NOT_FOUND", "Method not found: " + method + " " + path), null);
    } catch (Exception e) {
      return new Reply(
          400,
          Envelopes.error(400, "INVALID_ARGUMENT", "Invalid batch request: " + e.getMessage()),
          null);
    }
  }

  private Reply create(String model, boolean embed, String key, String project, JsonNode body)
      throws java.io.IOException {
    JsonNode batch = body.path("batch");
    JsonNode input = Request.field(batch, "inputConfig");
    List<String> keys = new ArrayList<>();
    List<JsonNode> requests = new ArrayList<>();
    boolean fromFile = input.has("fileName") || input.has("file_name");
    if (fromFile) {
      String fileName = Request.field(input, "fileName").asText();
      FilesApi.Stored f = files.stored(fileName, project);
      if (f == null) return new Reply(403, FilesApi.denied(fileName).body(), null);
      int line = 0;
      for (String text : new String(f.data(), StandardCharsets.UTF_8).split("\n")) {
        line++;
        if (text.isBlank()) continue;
        JsonNode n = JSON.readTree(text);
        if (!n.has("request")) return bad("line " + line + " of " + fileName + " has no request");
        keys.add(n.path("key").asText(Integer.toString(line)));
        requests.add(n.get("request"));
      }
    } else {
      JsonNode list = input.path("requests").path("requests");
      if (!list.isArray()) return bad("batch.inputConfig needs requests.requests or fileName");
      for (JsonNode r : list) {
        keys.add(r.path("metadata").path("key").asText(Integer.toString(keys.size() + 1)));
        requests.add(r.path("request"));
      }
    }
    if (requests.isEmpty()) return bad("a batch needs at least one request");
    int n = ids.getAndIncrement();
    String id = "sim" + Integer.toString(n, 36) + Long.toString(System.nanoTime() & 0xffffff, 36);
    Job j =
        new Job(
            "batches/" + id,
            project,
            key,
            model,
            batch.path("displayName").asText(""),
            fromFile,
            embed,
            keys,
            requests,
            schedule.endOf(n),
            clock.getAsLong(),
            Instant.now());
    jobs.put(j.name(), j);
    created.add(j);
    return new Reply(200, operation(j), null);
  }

  private static Reply bad(String why) {
    return new Reply(400, Envelopes.error(400, "INVALID_ARGUMENT", why), null);
  }

  private Reply cancel(Job j) {
    String s = state(j);
    if (s.equals("BATCH_STATE_PENDING") || s.equals("BATCH_STATE_RUNNING")) cancelled.add(j.name());
    return new Reply(200, JSON.createObjectNode(), null);
  }

  private Reply list(String project) {
    ObjectNode root = JSON.createObjectNode();
    ArrayNode ops = root.putArray("operations");
    synchronized (created) {
      for (Job j : created)
        if (j.project().equals(project) && !deleted.contains(j.name())) ops.add(operation(j));
    }
    return new Reply(200, root, null);
  }

  /** The batch as a long-running operation, as the API returns it from create, get and list. */
  private ObjectNode operation(Job j) {
    String state = state(j);
    boolean succeeded = state.equals("BATCH_STATE_SUCCEEDED");
    boolean done = !state.equals("BATCH_STATE_PENDING") && !state.equals("BATCH_STATE_RUNNING");
    ObjectNode op = JSON.createObjectNode().put("name", j.name());
    ObjectNode meta = op.putObject("metadata");
    String type = j.embed() ? EMBED_TYPE : TYPE;
    meta.put("@type", type)
        .put("model", "models/" + j.model())
        .put("displayName", j.displayName())
        .put("name", j.name())
        .put("createTime", j.createTime().toString())
        .put("updateTime", Instant.now().toString())
        .put("state", state);
    ObjectNode stats =
        meta.putObject("batchStats").put("requestCount", Integer.toString(j.requests().size()));
    if (!succeeded) {
      stats.put("pendingRequestCount", Integer.toString(done ? 0 : j.requests().size()));
      if (done) stats.put("failedRequestCount", Integer.toString(j.requests().size()));
    }
    if (done) meta.put("endTime", Instant.now().toString());
    if (succeeded) {
      List<One> results = results(j);
      long failed = results.stream().filter(r -> r.error() != null).count();
      stats
          .put("successfulRequestCount", Long.toString(results.size() - failed))
          .put("failedRequestCount", Long.toString(failed));
      ObjectNode output = meta.putObject("output");
      if (j.fromFile()) output.put("responsesFile", responsesFile(j, results));
      else {
        String field = j.embed() ? "inlinedEmbedContentResponses" : "inlinedResponses";
        ArrayNode inline = output.putObject(field).putArray("inlinedResponses");
        for (int i = 0; i < results.size(); i++) {
          ObjectNode r = inline.addObject();
          One one = results.get(i);
          if (one.error() != null) r.set("error", one.error());
          else r.set("response", one.response());
          r.putObject("metadata").put("key", j.keys().get(i));
        }
      }
      op.set("response", output.deepCopy().put("@type", type + "Output"));
    }
    if (state.equals("BATCH_STATE_FAILED") || state.equals("BATCH_STATE_EXPIRED")) {
      op.putObject("error")
          .put("code", state.endsWith("FAILED") ? 13 : 4)
          .put(
              "message",
              state.endsWith("FAILED")
                  ? "The batch failed."
                  : "The batch expired before it could run (48 hours).");
    }
    op.put("done", done);
    return op;
  }

  private final Map<String, String> responseFiles = new ConcurrentHashMap<>();

  private String responsesFile(Job j, List<One> results) {
    return responseFiles.computeIfAbsent(
        j.name(),
        n -> {
          ByteArrayOutputStream out = new ByteArrayOutputStream();
          for (int i = 0; i < results.size(); i++) {
            ObjectNode line = JSON.createObjectNode().put("key", j.keys().get(i));
            One one = results.get(i);
            if (one.error() != null) line.set("error", one.error());
            else line.set("response", one.response());
            out.writeBytes(line.toString().getBytes(StandardCharsets.UTF_8));
            out.write('\n');
          }
          return files.store(
              j.project(),
              j.maskedKey(),
              "application/jsonl",
              "responses of " + j.name(),
              out.toByteArray());
        });
  }
}
