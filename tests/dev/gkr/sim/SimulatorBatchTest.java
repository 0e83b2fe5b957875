package dev.gkr.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.genai.Client;
import com.google.genai.errors.ApiException;
import com.google.genai.types.BatchJob;
import com.google.genai.types.BatchJobSource;
import com.google.genai.types.Content;
import com.google.genai.types.CreateBatchJobConfig;
import com.google.genai.types.InlinedRequest;
import com.google.genai.types.InlinedResponse;
import com.google.genai.types.JobState;
import com.google.genai.types.Part;
import com.google.genai.types.UploadFileConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The simulator's Batch API (issue 19) through Google's own SDK, on a clock the test moves. */
class SimulatorBatchTest {
  @TempDir Path dir;
  private final AtomicLong now = new AtomicLong();

  private Simulator.Builder sim() {
    return Simulator.builder()
        .clock(now::get)
        .batchTiming(Duration.ofMinutes(10), Duration.ofMinutes(30));
  }

  private static BatchJobSource inline(String... prompts) {
    List<InlinedRequest> reqs = new ArrayList<>();
    for (String p : prompts) {
      reqs.add(
          InlinedRequest.builder()
              .contents(List.of(Content.fromParts(Part.fromText(p))))
              .metadata(Map.of("key", "k" + (reqs.size() + 1)))
              .build());
    }
    return BatchJobSource.builder().inlinedRequests(reqs).build();
  }

  private static JobState.Known state(BatchJob j) {
    return j.state().orElseThrow().knownEnum();
  }

  private static JsonNode raw(Simulator sim, String key, String path) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(sim.baseUrl() + path))
                    .header("x-goog-api-key", key)
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    return SimJson.MAPPER.readTree(r.body());
  }

  @Test
  void inlineJobGoesPendingRunningSucceededWithStatsAndPerRequestErrors() throws Exception {
    try (Simulator sim = sim().start()) {
      Client c = SimulatorFilesTest.client(sim, "batch-key-0000000001");
      BatchJob job =
          c.batches.create(
              "gemini-2.5-flash",
              inline("hello", "blocked [[sim:safety]]", "bad [[sim:bad-request]]"),
              CreateBatchJobConfig.builder().displayName("mixed").build());
      String name = job.name().orElseThrow();
      assertTrue(name.startsWith("batches/"));
      assertEquals(JobState.Known.JOB_STATE_PENDING, state(job));
      now.addAndGet(Duration.ofMinutes(11).toNanos());
      assertEquals(JobState.Known.JOB_STATE_RUNNING, state(c.batches.get(name, null)));
      JsonNode running = raw(sim, "batch-key-0000000001", "/v1beta/" + name);
      assertEquals(
          "3", running.path("metadata").path("batchStats").path("pendingRequestCount").asText());
      now.addAndGet(Duration.ofMinutes(30).toNanos());
      BatchJob done = c.batches.get(name, null);
      assertEquals(JobState.Known.JOB_STATE_SUCCEEDED, state(done));
      List<InlinedResponse> rs = done.dest().orElseThrow().inlinedResponses().orElseThrow();
      assertEquals(
          List.of("k1", "k2", "k3"),
          rs.stream().map(r -> r.metadata().orElseThrow().get("key")).toList());
      assertEquals(
          Simulator.answerFor("hello", "", null), rs.get(0).response().orElseThrow().text());
      assertEquals(
          "SAFETY",
          rs.get(1)
              .response()
              .orElseThrow()
              .promptFeedback()
              .orElseThrow()
              .blockReason()
              .orElseThrow()
              .toString());
      assertEquals(400, rs.get(2).error().orElseThrow().code().orElseThrow());
      JsonNode stats =
          raw(sim, "batch-key-0000000001", "/v1beta/" + name).path("metadata").path("batchStats");
      assertEquals("3", stats.path("requestCount").asText());
      assertEquals("2", stats.path("successfulRequestCount").asText());
      assertEquals("1", stats.path("failedRequestCount").asText());
    }
  }

  @Test
  void fileJobAnswersInADownloadableResponsesFile() throws Exception {
    try (Simulator sim = sim().batchTiming(Duration.ZERO, Duration.ZERO).start()) {
      Client c = SimulatorFilesTest.client(sim, "batch-key-0000000002");
      String jsonl =
          "{\"key\":\"a\",\"request\":{\"contents\":[{\"parts\":[{\"text\":\"first\"}]}]}}\n"
              + "{\"key\":\"b\",\"request\":{\"contents\":[{\"parts\":[{\"text\":\"second [[sim:500]]\"}]}]}}\n";
      var f =
          c.files.upload(
              jsonl.getBytes(StandardCharsets.UTF_8),
              UploadFileConfig.builder().mimeType("application/jsonl").build());
      BatchJob job =
          c.batches.create(
              "gemini-2.5-flash",
              BatchJobSource.builder().fileName(f.name().orElseThrow()).build(),
              null);
      BatchJob done = c.batches.get(job.name().orElseThrow(), null);
      String out = done.dest().orElseThrow().fileName().orElseThrow();
      Path local = dir.resolve("out.jsonl");
      c.files.download(out, local.toString(), null);
      List<String> lines = Files.readAllLines(local);
      assertEquals(2, lines.size());
      JsonNode first = SimJson.MAPPER.readTree(lines.get(0));
      assertEquals("a", first.path("key").asText());
      assertEquals(
          Simulator.answerFor("first", "", null),
          first
              .path("response")
              .path("candidates")
              .get(0)
              .path("content")
              .path("parts")
              .get(0)
              .path("text")
              .asText());
      assertEquals(500, SimJson.MAPPER.readTree(lines.get(1)).path("error").path("code").asInt());
      assertTrue(sim.batches().get(0).fromFile());
    }
  }

  @Test
  void listCancelDeleteAndScheduledEndings() {
    try (Simulator sim =
        sim()
            .batchEnds(BatchSchedule.End.FAILED, BatchSchedule.End.EXPIRED)
            .project("p1", Quota.unlimited(), "batch-key-0000000003")
            .project("p2", Quota.unlimited(), "batch-key-0000000004")
            .start()) {
      Client c = SimulatorFilesTest.client(sim, "batch-key-0000000003");
      String failed = c.batches.create("gemini-2.5-flash", inline("x"), null).name().orElseThrow();
      String expired = c.batches.create("gemini-2.5-flash", inline("y"), null).name().orElseThrow();
      String cancelled =
          c.batches.create("gemini-2.5-flash", inline("z"), null).name().orElseThrow();
      c.batches.cancel(cancelled, null);
      now.addAndGet(Duration.ofHours(1).toNanos());
      assertEquals(JobState.Known.JOB_STATE_FAILED, state(c.batches.get(failed, null)));
      assertEquals(JobState.Known.JOB_STATE_EXPIRED, state(c.batches.get(expired, null)));
      assertEquals(JobState.Known.JOB_STATE_CANCELLED, state(c.batches.get(cancelled, null)));
      List<String> listed = new ArrayList<>();
      c.batches.list(null).forEach(j -> listed.add(j.name().orElseThrow()));
      assertEquals(List.of(failed, expired, cancelled), listed);
      List<BatchJob> otherProject = new ArrayList<>();
      SimulatorFilesTest.client(sim, "batch-key-0000000004")
          .batches
          .list(null)
          .forEach(otherProject::add);
      assertTrue(otherProject.isEmpty(), "jobs belong to their project");
      c.batches.delete(failed, null);
      ApiException gone = assertThrows(ApiException.class, () -> c.batches.get(failed, null));
      assertEquals(404, gone.code());
      assertFalse(sim.batches().isEmpty());
    }
  }
}
