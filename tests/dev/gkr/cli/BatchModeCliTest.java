package dev.gkr.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gkr.sim.Simulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19 on the command line: a batch run end to end, and each misuse of the options exits 2
 * before any request.
 */
class BatchModeCliTest {
  @TempDir Path dir;

  private InProcessGkr gkr(Simulator sim, String... args) throws Exception {
    return InProcessGkr.onSimulator(dir, "cli-surface-key-0001", sim, args);
  }

  @Test
  void aJobGetsOneLineWhenCreatedAndOneWhenItEndsNotOnePerState_issue25() throws Exception {
    try (Simulator sim =
        Simulator.builder().batchTiming(Duration.ofMillis(300), Duration.ofMillis(300)).start()) {
      Path tasks = Files.writeString(dir.resolve("t.txt"), "first job task\nsecond job task\n");
      InProcessGkr r = gkr(sim, "--mode", "batch", "--monitor-interval", "100ms", tasks.toString());
      assertEquals(0, r.code(), r.err());
      List<String> jobLines = r.err().lines().filter(l -> l.startsWith("gkr: batch job")).toList();
      assertEquals(2, jobLines.size(), r.err());
      assertTrue(
          jobLines.get(0).matches("gkr: batch job \\S+ created with key-1…\\S* \\(2 requests\\)"),
          jobLines.get(0));
      assertTrue(
          jobLines.get(1).endsWith(" SUCCEEDED (2 requests, 2 succeeded, 0 failed)"),
          jobLines.get(1));
      assertFalse(
          r.err().contains("RUNNING"), "a state in between is the status line's: " + r.err());
    }
  }

  @Test
  void batchRunWritesTheResultsAndPrintsEachJobsStates() throws Exception {
    try (Simulator sim = Simulator.builder().batchTiming(Duration.ZERO, Duration.ZERO).start()) {
      Path tasks =
          Files.writeString(
              dir.resolve("t.txt"), "first batch task\nsecond batch task [[sim:bad-request]]\n");
      InProcessGkr r = gkr(sim, "--mode", "batch", "--max-retries", "0", tasks.toString());
      assertEquals(1, r.code(), r.err());
      assertTrue(r.err().contains("SUCCEEDED (2 requests, 1 succeeded, 1 failed)"), r.err());
      assertTrue(r.out().contains("1 succeeded, 1 failed"), r.out());
      String csv = Files.readString(dir.resolve("t.results.csv"));
      assertTrue(
          csv.contains(Simulator.answerFor("first batch task", "", null))
              && csv.contains("bad_request"),
          csv);
      assertEquals(1, sim.batches().size());
      assertEquals(0, sim.requests().size(), "nothing was sent synchronously");
    }
  }

  @Test
  void batchSummaryCountsTheJobAndItsKeyWithoutARequestRate() throws Exception {
    try (Simulator sim = Simulator.builder().batchTiming(Duration.ZERO, Duration.ZERO).start()) {
      Path tasks =
          Files.writeString(
              dir.resolve("s.txt"), "one summary task\nanother summary task [[sim:bad-request]]\n");
      Path keys = dir.resolve("summary-keys.txt");
      Files.writeString(keys, "cli-summary-key-0001\n");
      Files.setPosixFilePermissions(
          keys, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
      InProcessGkr r =
          InProcessGkr.run(
              new String[] {
                "--keys-file",
                keys.toString(),
                "--base-url",
                sim.baseUrl(),
                "--mode",
                "batch",
                "--max-retries",
                "0",
                "--monitor-interval",
                "10ms",
                tasks.toString()
              });
      assertEquals(1, r.code(), r.err());
      assertTrue(r.out().contains("2 requests (0 rate-limited) in "), r.out());
      assertTrue(r.out().contains(" | 1 batch job"), r.out());
      assertTrue(!r.out().contains("req/s"), "no request rate for jobs: " + r.out());
      String row =
          r.out()
              .lines()
              .filter(l -> l.contains("active") && l.contains("…"))
              .findFirst()
              .orElseThrow();
      assertTrue(
          row.replaceAll("\\s+", " ").matches(".*active \\| 2 \\| 1 \\| 0 \\| 1 \\|.*"),
          "requests 2, successes 1, rate_limited 0, failures 1: " + row);
    }
  }

  @Test
  void misusedOptionsExitTwoBeforeAnyRequest() throws Exception {
    try (Simulator sim = Simulator.builder().start()) {
      Path tasks = Files.writeString(dir.resolve("m.txt"), "a task\n");
      String[][] cases = {
        {"--mode", "later"},
        {"--deadline", "2h"},
        {"--mode", "auto"},
        {"--cancel-jobs"},
        {"--mode", "batch", "--batch-jobs", "101"},
        {"--mode", "auto", "--deadline", "soon"}
      };
      String[] words = {
        "--mode must be sync, batch or auto, was later",
        "--deadline needs --mode auto",
        "--mode auto needs --deadline",
        "--cancel-jobs needs --mode batch",
        "--batch-jobs must be in 1..100, was 101",
        "--deadline"
      };
      for (int i = 0; i < cases.length; i++) {
        String[] args =
            java.util.stream.Stream.concat(
                    java.util.Arrays.stream(cases[i]), java.util.stream.Stream.of(tasks.toString()))
                .toArray(String[]::new);
        InProcessGkr r = gkr(sim, args);
        assertEquals(2, r.code(), String.join(" ", cases[i]) + ": " + r.err());
        assertTrue(r.err().contains(words[i]), String.join(" ", cases[i]) + ": " + r.err());
      }
      assertEquals(0, sim.requests().size());
      assertEquals(0, sim.batches().size());
    }
  }
}
