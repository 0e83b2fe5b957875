package dev.gkr.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gkr.sim.KeyBehavior;
import dev.gkr.sim.Simulator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gkr command: inputs, outputs and every exit code. */
class CliTest {
  @TempDir Path dir;

  InProcessGkr gkr(Map<String, String> env, String stdin, String... args) {
    return InProcessGkr.run(env, stdin, args);
  }

  InProcessGkr gkr(String... args) {
    return gkr(Map.of(), "", args);
  }

  Path write(String name, String content) throws Exception {
    Path p = dir.resolve(name);
    Files.writeString(p, content, StandardCharsets.UTF_8);
    return p;
  }

  Path keys(String... keys) throws Exception {
    Path p = write("keys.txt", "# test keys\n" + String.join("\n", keys) + "\n");
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
    return p;
  }

  @Test
  void exit0WhenEveryTaskSucceedsAndResultsAndCheckpointGoAlongside() throws Exception {
    Path tasks =
        write(
            "tasks.csv",
            "id,prompt,topic\na1,Explain tides,sea\na2,\"Explain, with a comma\",grammar\n");
    InProcessGkr r = gkr("--simulate", "--quiet", tasks.toString());
    assertEquals(0, r.code(), r.err());
    List<String> csv = Files.readAllLines(dir.resolve("tasks.results.csv"));
    assertEquals(3, csv.size());
    assertTrue(
        csv.get(0).startsWith("id,prompt,success,response,") && csv.get(0).endsWith(",topic"),
        csv.get(0));
    assertTrue(csv.get(1).startsWith("a1,Explain tides,true,Answer "), csv.get(1));
    assertEquals(2, Files.readAllLines(dir.resolve("tasks.csv.checkpoint.jsonl")).size());
    assertEquals(1, r.out().lines().count(), "--quiet prints one summary line: " + r.out());
  }

  @Test
  void exit1WhenSomeTasksFailAfterTheirRetries() throws Exception {
    try (Simulator sim = Simulator.builder().start()) {
      Path tasks = write("t.txt", "fine\nblocked [[sim:safety]]\n");
      InProcessGkr r =
          gkr(
              Map.of(),
              "",
              "--keys-file",
              keys("cli-key-0001").toString(),
              "--base-url",
              sim.baseUrl(),
              "--max-retries",
              "1",
              tasks.toString());
      assertEquals(1, r.code(), r.err());
      assertTrue(r.out().contains("2 tasks, 1 succeeded, 1 failed"), r.out());
    }
  }

  @Test
  void aRetiredOrParkedKeyGetsOneLineSayingWhyWhenItHappens_issue25() throws Exception {
    try (Simulator sim =
        Simulator.builder()
            .key("susp-key-000000000001", KeyBehavior.suspended())
            .key("daily-key-00000000002", KeyBehavior.dailyLimitReached())
            .key("good-key-000000000003", KeyBehavior.ok())
            .start()) {
      Path tasks = write("t.txt", "one\ntwo\nthree\nfour\n");
      InProcessGkr r =
          gkr(
              Map.of(
                  "GEMINI_API_KEYS",
                  "susp-key-000000000001,daily-key-00000000002,good-key-000000000003"),
              "",
              "--quiet",
              "--base-url",
              sim.baseUrl(),
              tasks.toString());
      assertEquals(0, r.code(), r.err());
      String log = dir.resolve("t.txt.errors.log").toString();
      List<String> keyLines = r.err().lines().filter(l -> l.contains("for this run")).toList();
      assertEquals(
          List.of(
              "gkr: key-1…0001 retired for this run: key_suspended (Google has suspended the key or"
                  + " its project); the other keys carry on, details in "
                  + log,
              "gkr: key-2…0002 parked for this run: daily_limit (daily quota spent; parked until "),
          keyLines.stream()
              .map(l -> l.contains("parked until") ? l.substring(0, l.indexOf("until ") + 6) : l)
              .sorted()
              .toList(),
          r.err());
    }
  }

  @Test
  void anInputErrorFoundAtTheStartComesAloneWithoutTheSimulatorLine_issue25() throws Exception {
    Path tasks = write("img.csv", "id,prompt,files\nt1,Describe it,missing.png\n");
    InProcessGkr r = gkr("--simulate", tasks.toString());
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("file missing.png does not exist"), r.err());
    assertFalse(r.out().contains("simulating Gemini"), "before the input error: " + r.out());

    Path fine = write("fine.csv", "id,prompt\nt1,Explain tides\n");
    InProcessGkr ok = gkr("--simulate", fine.toString());
    assertEquals(0, ok.code(), ok.err());
    assertTrue(
        ok.out().startsWith("gkr: simulating Gemini at http://127.0.0.1:"),
        "still the first line of a run that starts: " + ok.out());
  }

  @Test
  void aRerunThatRestoresEverythingSaysSoAndShowsThisRunsCostApart_issue25() throws Exception {
    Path tasks =
        write("all.csv", "id,prompt\nq1,Explain tides\nq2,Explain waves\nq3,Explain wind\n");
    InProcessGkr first = gkr("--simulate", tasks.toString());
    assertEquals(0, first.code(), first.err());
    String cost =
        first.out().lines().filter(l -> l.startsWith("cost: $")).findFirst().orElseThrow();
    assertTrue(first.out().contains("key-1"), "the first run shows its key table: " + first.out());

    InProcessGkr again = gkr("--simulate", tasks.toString());
    assertEquals(0, again.code(), again.err());
    assertTrue(
        again
            .out()
            .contains(
                "completed: 3 tasks, 3 restored from checkpoint (3 succeeded, 0 failed), 0 sent"),
        again.out());
    assertTrue(
        again
            .out()
            .contains(
                "cost: $0.000000 this run ("
                    + cost.substring("cost: ".length())
                    + " with restored answers)"),
        again.out());
    assertTrue(again.out().contains("keys: not used (nothing was sent in this run)"), again.out());
    assertFalse(again.out().contains("key-1"), "no table of zeros: " + again.out());
  }

  @Test
  void tasksFilesOfOneStemKeepTheirOwnCheckpointsAndTheFirstLineSaysWhenARunResumes_issue25()
      throws Exception {
    Path csv = write("night.csv", "id,prompt\nq1,Explain tides\n");
    Path jsonl = write("night.jsonl", "{\"id\":\"q1\",\"prompt\":\"Explain tides\"}\n");
    InProcessGkr first = gkr("--simulate", csv.toString());
    assertEquals(0, first.code(), first.err());
    assertFalse(first.err().contains("resuming"), first.err());
    assertEquals(1, Files.readAllLines(dir.resolve("night.csv.checkpoint.jsonl")).size());

    InProcessGkr other = gkr("--simulate", jsonl.toString());
    assertEquals(0, other.code(), other.err());
    assertFalse(other.err().contains("resuming"), "another file's answers: " + other.err());
    assertEquals(1, Files.readAllLines(dir.resolve("night.jsonl.checkpoint.jsonl")).size());

    InProcessGkr again = gkr("--simulate", csv.toString());
    assertEquals(
        "gkr: resuming from "
            + dir.resolve("night.csv.checkpoint.jsonl")
            + ": tasks finished there are not sent again (--fresh starts over)",
        again.err().lines().findFirst().orElse(""),
        again.err());

    InProcessGkr fresh = gkr("--simulate", "--fresh", csv.toString());
    assertEquals(0, fresh.code(), fresh.err());
    Path aside = dir.resolve("night.csv.checkpoint.jsonl.old");
    assertEquals(
        "gkr: --fresh: starting over; the old checkpoint is now " + aside,
        fresh.err().lines().findFirst().orElse(""));
    assertEquals(1, Files.readAllLines(aside).size());
    assertEquals(1, Files.readAllLines(dir.resolve("night.csv.checkpoint.jsonl")).size());
    assertTrue(fresh.out().contains("1 succeeded"), fresh.out());
  }

  @Test
  void aCheckpointNamedTheOldWayIsNotReadAndTheRunSaysHowToResumeFromIt_issue25() throws Exception {
    Path csv = write("old.csv", "id,prompt\nq1,Explain tides\n");
    InProcessGkr first =
        gkr(
            "--simulate",
            "--quiet",
            "--checkpoint",
            dir.resolve("old.checkpoint.jsonl").toString(),
            csv.toString());
    assertEquals(0, first.code(), first.err());
    InProcessGkr r = gkr("--simulate", "--quiet", csv.toString());
    assertEquals(0, r.code(), r.err());
    assertEquals(
        "gkr: not resuming from "
            + dir.resolve("old.checkpoint.jsonl")
            + ": that name was shared by every tasks file of that stem, so this run's checkpoint is "
            + dir.resolve("old.csv.checkpoint.jsonl")
            + "; to resume from the old one, run again with --checkpoint "
            + dir.resolve("old.checkpoint.jsonl"),
        r.err().strip());
  }

  @Test
  void aDryRunRefusesWhatARealRunWouldAndSaysWhatItIgnores_issue25() throws Exception {
    Path tasks = write("dry.txt", "one\ntwo\n");
    InProcessGkr unknown =
        gkr("--simulate", "--quiet", "--model", "gemini-9-ultra", tasks.toString());
    assertEquals(2, unknown.code(), unknown.out() + unknown.err());
    assertTrue(unknown.err().contains("gemini-9-ultra"), unknown.err());
    InProcessGkr known =
        gkr("--simulate", "--quiet", "--model", "gemini-2.5-pro", "--fresh", tasks.toString());
    assertEquals(0, known.code(), known.err());

    Path keys = write("keys.txt", "real-key-0000000001\n");
    InProcessGkr ignored =
        gkr("--simulate", "--quiet", "--fresh", "--keys-file", keys.toString(), tasks.toString());
    assertEquals(0, ignored.code(), ignored.err());
    assertTrue(
        ignored
            .err()
            .contains(
                "gkr: --simulate uses the simulator's demo keys; --keys-file "
                    + keys
                    + " is not read (drop --simulate to use it)"),
        ignored.err());
  }

  @Test
  void anUnknownOptionSuggestsTheNearestOne_issue25() throws Exception {
    InProcessGkr r = gkr("--simulate", "--slot", "4", write("u.txt", "one\n").toString());
    assertEquals(2, r.code(), r.err());
    assertTrue(r.err().contains("did you mean --slots"), r.err());
  }

  @Test
  void exit3WhenNoUsableKeyIsLeftWithResultsStillWritten() throws Exception {
    try (Simulator sim = Simulator.builder().unknownKeys(KeyBehavior.invalid()).start()) {
      Path tasks =
          write("t.jsonl", "{\"id\":\"x\",\"prompt\":\"one\"}\n{\"prompt\":\"two\",\"n\":2}\n");
      InProcessGkr r =
          gkr(
              Map.of("GEMINI_API_KEYS", "bad-key-0001,bad-key-0002"),
              "",
              "--base-url",
              sim.baseUrl(),
              tasks.toString());
      assertEquals(3, r.code(), r.err());
      assertTrue(r.err().contains("no usable key was left"), r.err());
      String csv = Files.readString(dir.resolve("t.results.csv"));
      assertTrue(csv.contains("no_usable_keys"), csv);
    }
  }

  @Test
  void exit2ForBadInputNamingFileLineAndField() throws Exception {
    Path noPrompt = write("np.csv", "id,question\n1,hi\n");
    InProcessGkr r = gkr("--simulate", noPrompt.toString());
    assertEquals(2, r.code());
    assertEquals(
        "gkr: " + noPrompt + " line 1: no 'prompt' column in the header (columns: id, question)\n",
        r.err());

    Path dup = write("dup.csv", "id,prompt\n1,a\n2,b\n1,c\n");
    r = gkr("--simulate", dup.toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains(dup + " line 4: field 'id' repeats '1' from line 2"), r.err());

    Path empty = write("empty.csv", "id,prompt\n1,a\n2,\n");
    r = gkr("--simulate", empty.toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains(empty + " line 3: field 'prompt' is empty"), r.err());

    Path badJson = write("bad.jsonl", "{\"prompt\":\"ok\"}\n{prompt: broken\n");
    r = gkr("--simulate", badJson.toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains(badJson + " line 2: not valid JSON"), r.err());
    assertFalse(r.err().contains("Exception"), "no Java class names for users: " + r.err());

    r = gkr("--simulate", dir.resolve("missing.csv").toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains("missing.csv: cannot read (no such file)"), r.err());
    assertFalse(r.err().contains("Exception"), "no Java class names for users: " + r.err());

    r = gkr(write("ok.txt", "hello\n").toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains("no API keys"), r.err());

    r = gkr("--simulate", "--every", "soon", write("ok2.txt", "hello\n").toString());
    assertEquals(2, r.code());
    assertTrue(
        r.err().contains("--every: must look like 12s, 500ms, 1m or 2h, was 'soon'"), r.err());

    r = gkr("--simulate", "--slots", "0", write("ok3.txt", "hello\n").toString());
    assertEquals(2, r.code());
    assertTrue(r.err().contains("slots must be >= 1, was 0"), r.err());

    r = gkr("--no-such-option");
    assertEquals(2, r.code());
  }

  @Test
  void exit2BeforeAnyRequestWhenTheOutputCannotBeWritten() throws Exception {
    try (Simulator sim = Simulator.builder().start()) {
      Path tasks = write("t.txt", "hello\n");
      InProcessGkr r =
          gkr(
              Map.of(),
              "",
              "--keys-file",
              keys("cli-key-0001").toString(),
              "--base-url",
              sim.baseUrl(),
              "--out",
              "/proc/gkr-not-writable/results.csv",
              tasks.toString());
      assertEquals(2, r.code());
      assertTrue(
          r.err().contains("/proc/gkr-not-writable/results.csv: cannot write here"), r.err());
      assertEquals(0, sim.requests().size(), "quota was spent before the output was checked");
    }
  }

  @Test
  void stdinPromptsAndKeysFileWithCommentsBlanksAndRepeats() throws Exception {
    try (Simulator sim = Simulator.builder().start()) {
      Path k =
          write("k.txt", "\n  cli-key-0001  \n# comment\ncli-key-0002 project=p1\ncli-key-0001\n");
      InProcessGkr r =
          gkr(
              Map.of(),
              "first\n\nsecond\n",
              "--keys-file",
              k.toString(),
              "--base-url",
              sim.baseUrl(),
              "--out",
              dir.resolve("o.csv").toString(),
              "--checkpoint",
              dir.resolve("c.jsonl").toString(),
              "--error-log",
              dir.resolve("e.log").toString(),
              "-");
      assertEquals(0, r.code(), r.err());
      assertTrue(r.err().contains("can be read by other users"), r.err());
      assertTrue(r.err().contains("lists 1 key more than once"), r.err());
      assertEquals(2, sim.requests().size());
      assertTrue(
          Files.readString(dir.resolve("o.csv")).contains(Simulator.answerFor("second", "", null)));
    }
  }

  @Test
  void realCommandStopsOnCtrlCWithExit130AndResumes() throws Exception {
    StringBuilder csv = new StringBuilder("prompt\n");
    for (int i = 0; i < 400; i++) csv.append("interrupted question ").append(i).append('\n');
    Path tasks = write("big.csv", csv.toString());
    Process p =
        gkrProcess(
            "--simulate",
            "--slots",
            "1",
            "--every",
            "200ms",
            "--monitor-interval",
            "200ms",
            tasks.toString());
    // Read its output as it comes: a pipe nobody reads would block the child once full.
    java.util.concurrent.CompletableFuture<String> output =
        java.util.concurrent.CompletableFuture.supplyAsync(
            () -> {
              try {
                return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
              } catch (java.io.IOException e) {
                return e.toString();
              }
            });
    Path cp = dir.resolve("big.csv.checkpoint.jsonl");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!Files.exists(cp) || Files.size(cp) < 2_000) {
      assertTrue(
          p.isAlive() && System.nanoTime() < deadline, "run ended before it could be interrupted");
      Thread.sleep(20); // polling another process's file
    }
    assertEquals(0, new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor());
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "Ctrl-C did not stop the run");
    String text = output.get(30, TimeUnit.SECONDS);
    assertEquals(130, p.exitValue(), text);
    assertTrue(text.contains("Run the same command again to resume"), text);
    long done = Files.readAllLines(cp).size();
    assertTrue(done > 0 && done < 400, "done " + done);
    assertTrue(Files.exists(dir.resolve("big.results.csv")));

    Process again = gkrProcess("--simulate", "--quiet", "--slots", "4", tasks.toString());
    assertTrue(again.waitFor(120, TimeUnit.SECONDS));
    assertEquals(0, again.exitValue(), new String(again.getInputStream().readAllBytes()));
    assertEquals(401, Files.readAllLines(dir.resolve("big.results.csv")).size());
  }

  /**
   * Starts the real command in its own JVM. A process started from a background job inherits SIGINT
   * as ignored, and a JVM cannot undo that, so the command is exec'ed through python3 with SIGINT
   * reset to its default, as it is under an interactive shell.
   */
  private Process gkrProcess(String... args) throws Exception {
    List<String> cmd = GkrProcess.signalable(args);
    return new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
  }
}
