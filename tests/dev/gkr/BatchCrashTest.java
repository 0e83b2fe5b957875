package dev.gkr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.genai.Client;
import com.google.genai.types.BatchJobSource;
import com.google.genai.types.Content;
import com.google.genai.types.CreateBatchJobConfig;
import com.google.genai.types.HttpOptions;
import com.google.genai.types.InlinedRequest;
import dev.gkr.internal.batchmode.BatchJournal;
import dev.gkr.sim.SimBatch;
import dev.gkr.sim.Simulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

/**
 * Exactly once across crashes in Batch Mode (issue 19): a killed run's jobs are re-attached, never
 * submitted again.
 */
class BatchCrashTest {
  @TempDir Path dir;

  private static List<String> submittedKeys(Simulator sim) {
    List<String> keys = new ArrayList<>();
    for (SimBatch b : sim.batches()) keys.addAll(b.requestKeys());
    return keys;
  }

  @Test
  void killDashNineBetweenSubmitAndCollectThenRerunReattachesAndNothingIsSubmittedTwice()
      throws Exception {
    AtomicLong skip =
        new AtomicLong(); // the simulator's clock: real time, plus what the test skips ahead
    Path cp = dir.resolve("crash.checkpoint.jsonl");
    Path journal = BatchJournal.besides(cp);
    int n = 8;
    try (Simulator sim =
        Simulator.builder()
            .clock(() -> System.nanoTime() + skip.get())
            .batchTiming(Duration.ofHours(1), Duration.ofHours(1))
            .start()) {
      Process child = BatchChildRun.spawn(sim.baseUrl(), cp, n, dir.resolve("child.log"));
      try {
        // Across a process boundary there is no latch: wait (at most a minute) until the job's name
        // is journaled.
        long until = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (!(Files.exists(journal) && Files.readString(journal).contains("batches/"))
            && System.nanoTime() < until) {
          assertTrue(
              child.isAlive(), () -> "the child ended early: " + read(dir.resolve("child.log")));
          Thread.sleep(20);
        }
        assertTrue(Files.readString(journal).contains("batches/"), "no job was journaled");
        assertTrue(child.isAlive(), "the child must be waiting for its job when it is killed");
      } finally {
        child.destroyForcibly();
        child.waitFor(30, TimeUnit.SECONDS);
      }
      assertEquals(128 + 9, child.exitValue(), "the child was not killed by SIGKILL");
      assertEquals(1, sim.batches().size());
      assertEquals("BATCH_STATE_PENDING", sim.batches().get(0).state());

      skip.addAndGet(Duration.ofHours(3).toNanos()); // the job finishes while nobody watches
      Table t = BatchChildRun.rotator(sim.baseUrl(), cp).run(BatchChildRun.prompts(n));
      assertEquals(1, sim.batches().size(), "the rerun submitted again instead of re-attaching");
      assertEquals(
          List.of("1", "2", "3", "4", "5", "6", "7", "8"),
          submittedKeys(sim),
          "every task exactly once");
      assertTrue(t.booleanColumn("success").asList().stream().allMatch(b -> b), t.print());
      for (int i = 0; i < n; i++)
        assertEquals(
            Simulator.answerFor(BatchChildRun.prompts(n).get(i), "", null),
            t.stringColumn("response").get(i));
      assertEquals(n, Files2.completeLines(cp), "each task once in the checkpoint");
      assertTrue(!Files.exists(journal), "the journal is removed once every job is collected");
    }
  }

  @Test
  void aJobCreatedJustBeforeACrashIsFoundByItsDisplayName() throws Exception {
    Path cp = dir.resolve("window.checkpoint.jsonl");
    try (Simulator sim = Simulator.builder().batchTiming(Duration.ZERO, Duration.ZERO).start();
        Client c =
            Client.builder()
                .apiKey("window-key-000001")
                .httpOptions(
                    HttpOptions.builder().baseUrl(sim.baseUrl()).apiVersion("v1beta").build())
                .build()) {
      // The create call reached the API, but the process died before the job's name was written.
      List<InlinedRequest> reqs = new ArrayList<>();
      for (String p : List.of("window one", "window two")) {
        reqs.add(
            InlinedRequest.builder()
                .contents(List.of(Content.fromParts(com.google.genai.types.Part.fromText(p))))
                .metadata(Map.of("key", Integer.toString(reqs.size() + 1)))
                .build());
      }
      c.batches.create(
          "gemini-2.5-flash",
          BatchJobSource.builder().inlinedRequests(reqs).build(),
          CreateBatchJobConfig.builder().displayName("gkr-window-0001").build());
      Files.writeString(
          BatchJournal.besides(cp),
          """
          {"jobs": [{"name": "", "displayName": "gkr-window-0001", "key": "key-1…0001", "tasks": ["1", "2"]}]}""");
      Table t =
          Rotator.keys("window-key-000001")
              .baseUrl(sim.baseUrl())
              .checkpoint(cp)
              .batchMode(
                  BatchMode.builder()
                      .mode(Mode.BATCH)
                      .polling(Duration.ofMillis(20), Duration.ofMillis(50))
                      .build())
              .run(List.of("window one", "window two"));
      assertEquals(1, sim.batches().size(), "submitted again");
      assertEquals(Simulator.answerFor("window two", "", null), t.stringColumn("response").get(1));
    }
  }

  private static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (java.io.IOException e) {
      return "(no log)";
    }
  }
}
