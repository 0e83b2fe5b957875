package dev.gkr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gkr.sim.Quota;
import dev.gkr.sim.Simulator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Row;
import tech.tablesaw.api.Table;

/**
 * A file the Files API refuses chunk after chunk (the SDK gives up with "Upload failed. Retries
 * exhausted" after its own three tries) is the problem of the tasks that use it: it uses their
 * retries, never engages the run-wide throttle and never holds back the tasks without it. Before
 * the fix it was a connection error: the run throttled itself for "network errors", held every task
 * behind one probe and retried the upload until {@code maxWait} ended the run (HTTP, real time: the
 * SDK sleeps 1 s and 2 s between its tries of a chunk).
 */
class UploadFailureTest {
  @TempDir Path dir;

  @Test
  void aFileTheUploadRefusesFailsOnlyItsTasksWithinTheirRetries_issue32() throws Exception {
    Path refused = dir.resolve("refused.pdf");
    Files.write(
        refused,
        ("%PDF-1.4\n[[sim:upload-rejected]]" + "x".repeat(3000) + "\n%%EOF\n")
            .getBytes(StandardCharsets.ISO_8859_1));
    try (Simulator sim =
        Simulator.builder()
            .project("p1", Quota.unlimited(), "up-key-0001", "up-key-0002")
            .project("p2", Quota.unlimited(), "up-key-0003")
            .start()) {
      List<Map<String, Object>> tasks = new ArrayList<>();
      for (int i = 0; i < 16; i++)
        tasks.add(
            i % 2 == 0
                ? Map.of("id", "file-" + i, "prompt", "Read it " + i, "files", refused.toString())
                : Map.of("id", "plain-" + i, "prompt", "No file " + i));
      Rotator r =
          Rotator.keys("up-key-0001", "up-key-0002", "up-key-0003")
              .project("p1", "up-key-0001", "up-key-0002")
              .project("p2", "up-key-0003")
              .slots(4)
              .baseUrl(sim.baseUrl())
              .inlineLimit(1000)
              .files(LocalFiles.in(refused.getParent())) // the task files' folder
              .retries(Retries.builder().maxRetries(1).maxWait(Duration.ofMinutes(2)).build());
      long start = System.nanoTime();
      Table t = r.run(tasks);
      Duration took = Duration.ofNanos(System.nanoTime() - start);

      for (Row row : t) {
        String id = row.getString("id");
        if (id.startsWith("plain-")) {
          assertTrue(row.getBoolean("success"), id + ": " + row.getString("error"));
        } else {
          assertEquals("upload_failed", row.getString("error_type"), id);
          assertTrue(row.getString("error").contains("refused.pdf"), row.getString("error"));
          assertEquals(2, row.getInt("attempts"), id + ": its one retry, then it fails");
        }
      }
      Slowdown sd = r.stats().slowdown();
      assertEquals(0, sd.episodes(), "the run-wide throttle never engaged: " + sd);
      assertTrue(
          took.compareTo(Duration.ofSeconds(90)) < 0, "the run did not wait for maxWait: " + took);
      long plainAnswered =
          sim.requests().stream()
              .filter(q -> q.prompt().startsWith("No file"))
              .filter(q -> q.status() == 200)
              .count();
      assertEquals(8, plainAnswered, "every task without the file was answered once");
      assertTrue(
          sim.requests().stream().noneMatch(q -> q.prompt().startsWith("Read")),
          "no task with the refused file reached generateContent");
    }
  }
}
