package dev.gkr.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gkr.sim.KeyBehavior;
import dev.gkr.sim.Simulator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14: the rough edges a first-time user met between the README and a working job, as the
 * command shows them.
 */
class NewUserCliTest {
  @TempDir Path dir;

  InProcessGkr gkr(Map<String, String> env, String... args) {
    return InProcessGkr.run(env, "", args);
  }

  Path write(String name, String content) throws Exception {
    Path p = dir.resolve(name);
    Files.writeString(p, content, StandardCharsets.UTF_8);
    return p;
  }

  Path prompts(String name, int n) throws Exception {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) sb.append("question ").append(i).append('\n');
    return write(name, sb.toString());
  }

  // 1. A plan without declared limits

  @Test
  void planWithoutLimitsEstimatesFromSlotsAndEveryInTheRealCommand_issue14() throws Exception {
    prompts("prompts.txt", 120);
    Files.setPosixFilePermissions(
        write("keys.txt", "plan-key-0001\nplan-key-0002\n"),
        java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    GkrProcess paced =
        GkrProcess.run(
            dir,
            Map.of(),
            "plan",
            "prompts.txt",
            "--keys-file",
            "keys.txt",
            "--slots",
            "2",
            "--every",
            "1s");
    assertEquals(0, paced.code(), paced.err());
    assertEquals("", paced.err(), "no stack trace, no warning");
    assertTrue(paced.out().contains("rate:      240.0 requests/minute"), paced.out());
    assertTrue(paced.out().contains("wall time: 30s"), paced.out());
    assertTrue(paced.out().contains("assumed:   no limits declared"), paced.out());

    GkrProcess unpaced =
        GkrProcess.run(dir, Map.of(), "plan", "prompts.txt", "--keys-file", "keys.txt");
    assertEquals(0, unpaced.code(), unpaced.err());
    assertEquals("", unpaced.err());
    assertTrue(unpaced.out().contains("wall time: unknown"), unpaced.out());
    assertTrue(unpaced.out().contains("every is 0"), unpaced.out());
  }

  // 2. Every output path proven a writable file before a request

  @Test
  void anOutputPathThatIsADirectoryFailsBeforeAnyRequest_issue14() throws Exception {
    try (Simulator sim = Simulator.builder().start()) {
      Path tasks = prompts("t.txt", 3);
      Files.createDirectory(
          dir.resolve(
              "ro.csv")); // a known extension, so the format check passes and the path is tested
      for (String option : List.of("--out", "--checkpoint", "--error-log")) {
        InProcessGkr r =
            gkr(
                Map.of("GEMINI_API_KEYS", "dir-key-0001"),
                "--base-url",
                sim.baseUrl(),
                option,
                dir.resolve("ro.csv").toString(),
                tasks.toString());
        assertEquals(2, r.code(), option + ": " + r.err());
        assertTrue(
            r.err()
                .contains(
                    dir.resolve("ro.csv") + ": cannot write here: it is a directory, not a file"),
            option + ": " + r.err());
      }
      assertEquals(0, sim.requests().size(), "quota was spent before the outputs were checked");
      assertFalse(Files.exists(dir.resolve("t.results.csv")));
      assertFalse(Files.exists(dir.resolve("t.txt.checkpoint.jsonl")));
    }
  }

  @Test
  void aParkedKeysSidecarThatIsADirectoryFailsBeforeAnyRequest_issue14() throws Exception {
    try (Simulator sim = Simulator.builder().start()) {
      Path tasks = prompts("t.txt", 3);
      Files.createDirectory(dir.resolve("t.txt.checkpoint.parked.json"));
      InProcessGkr r =
          gkr(
              Map.of("GEMINI_API_KEYS", "dir-key-0001"),
              "--base-url",
              sim.baseUrl(),
              tasks.toString());
      assertEquals(2, r.code(), r.err());
      assertTrue(
          r.err()
              .contains(
                  dir.resolve("t.txt.checkpoint.parked.json")
                      + ": cannot write here: it is not a file"),
          r.err());
      assertEquals(0, sim.requests().size());
      assertFalse(Files.exists(dir.resolve("t.txt.checkpoint.jsonl")), "nothing is left behind");
    }
  }

  // 3. No usable key: how many tasks are left, and how to go on

  @Test
  void noUsableKeySaysHowManyTasksAreLeftAndThatARerunWithAWorkingKeyFinishesThem_issue14()
      throws Exception {
    try (Simulator sim =
        Simulator.builder()
            .key("susp-key-0001", KeyBehavior.suspended())
            .key("bad-key-0002", KeyBehavior.invalid())
            .key("good-key-0003", KeyBehavior.ok())
            .start()) {
      Path tasks = prompts("t.txt", 30);
      InProcessGkr r =
          gkr(
              Map.of("GEMINI_API_KEYS", "susp-key-0001,bad-key-0002"),
              "--base-url",
              sim.baseUrl(),
              "--quiet",
              tasks.toString());
      assertEquals(3, r.code(), r.err());
      assertTrue(r.err().contains("no usable key was left; 30 of 30 tasks were not done"), r.err());
      assertTrue(
          r.err().contains("Add a working key") && r.err().contains("run the same command again"),
          r.err());
      assertTrue(
          r.err().contains("why each key stopped is in " + dir.resolve("t.txt.errors.log")),
          r.err());

      InProcessGkr again =
          gkr(
              Map.of("GEMINI_API_KEYS", "susp-key-0001,bad-key-0002,good-key-0003"),
              "--base-url",
              sim.baseUrl(),
              "--quiet",
              tasks.toString());
      assertEquals(0, again.code(), again.err());
      assertTrue(
          again.out().startsWith("completed: 30 tasks, 30 succeeded, 0 failed"), again.out());
    }
  }

  // 7. --quiet: no live status, but one summary line with the outputs

  @Test
  void quietPrintsOneSummaryLineWithTheOutputFiles_issue14() throws Exception {
    Path tasks =
        write("tasks.csv", "id,prompt\na1,Explain tides\na2,Explain [[sim:503x1]] storms\n");
    InProcessGkr r =
        gkr(Map.of(), "--simulate", "--quiet", "--monitor-interval", "10ms", tasks.toString());
    assertEquals(0, r.code(), r.err());
    List<String> lines = r.out().lines().toList();
    assertEquals(1, lines.size(), "one line: " + r.out());
    assertTrue(
        lines
            .get(0)
            .matches(
                java.util.regex.Pattern.quote(
                        "completed: 2 tasks, 2 succeeded, 0 failed | results: "
                            + dir.resolve("tasks.results.csv")
                            + " | checkpoint: "
                            + dir.resolve("tasks.csv.checkpoint.jsonl")
                            + " | error log: "
                            + dir.resolve("tasks.csv.errors.log"))
                    + " \\| cost: \\$0\\.\\d{6}"),
        lines.get(0)); // issue 19: the cost last
    assertEquals("", r.err());
  }

  // 8. Hints that work, and an error log per run

  @Test
  void planWithoutKeysSuggestsWhatWorksForAPlan_issue14() throws Exception {
    prompts("prompts.txt", 10);
    GkrProcess none = GkrProcess.run(dir, Map.of(), "plan", "prompts.txt");
    assertEquals(2, none.code());
    assertFalse(none.err().contains("--simulate"), "plan rejects --simulate: " + none.err());
    assertTrue(
        none.err().startsWith("gkr plan: no API keys: use --keys-file FILE or set GEMINI_API_KEYS"),
        none.err());
    GkrProcess followed =
        GkrProcess.run(dir, Map.of("GEMINI_API_KEYS", "k1,k2,k3"), "plan", "prompts.txt");
    assertEquals(0, followed.code(), "the hint works: " + followed.err());
    assertTrue(followed.out().startsWith("10 tasks over 3 keys"), followed.out());
  }

  @Test
  void errorLogIsNamedAfterTheCheckpointElseTheOutSoRunsDoNotShareOne_issue14() throws Exception {
    Path tasks = write("tasks.txt", "a storm [[sim:503x1]]\n");
    for (String run : List.of("run1", "run2")) {
      InProcessGkr r =
          gkr(
              Map.of(),
              "--simulate",
              "--quiet",
              "--checkpoint",
              dir.resolve(run + ".checkpoint.jsonl").toString(),
              tasks.toString());
      assertEquals(0, r.code(), r.err());
      assertTrue(
          r.out().contains("error log: " + dir.resolve(run + ".errors.log") + " | cost: "),
          r.out()); // issue 19: the cost last
    }
    InProcessGkr byOut =
        gkr(
            Map.of(),
            "--simulate",
            "--quiet",
            "--out",
            dir.resolve("mine.csv").toString(),
            tasks.toString());
    assertEquals(0, byOut.code(), byOut.err());
    assertTrue(
        byOut.out().contains("error log: " + dir.resolve("mine.errors.log") + " | cost: "),
        byOut.out());
    for (String log : List.of("run1.errors.log", "run2.errors.log", "mine.errors.log")) {
      assertEquals(
          1,
          Files.readAllLines(dir.resolve(log)).stream().filter(l -> l.contains("503")).count(),
          log);
    }
    assertFalse(Files.exists(dir.resolve("tasks.csv.errors.log")), "no shared <tasks>.errors.log");
  }

  @Test
  void errorLogNamesFollowTheirFile_issue14() {
    assertEquals(
        Path.of("out/run1.errors.log"),
        OutputNames.errorLog(Path.of("out/run1.checkpoint.jsonl"), null, "t"));
    assertEquals(
        Path.of("c.errors.log"), OutputNames.errorLog(Path.of("c.jsonl"), Path.of("o.csv"), "t"));
    assertEquals(
        Path.of("r/o.errors.log"), OutputNames.errorLog(null, Path.of("r/o.results.csv"), "t"));
    assertEquals(
        Path.of("t.errors.log"),
        OutputNames.errorLog(null, Path.of("-"), "t"),
        "standard output names no log");
    assertEquals(Path.of("t.errors.log"), OutputNames.errorLog(null, Path.of("/dev/stdout"), "t"));
    assertEquals(Path.of("t.errors.log"), OutputNames.errorLog(null, null, "t"));
  }
}
