package dev.gkr.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gkr.sim.KeyBehavior;
import dev.gkr.sim.Simulator;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every exit code of the command once as a real process: its own JVM running {@code
 * dev.gkr.cli.GkrCommand}'s {@code main} on the test classpath, so {@code System.exit}, the signal
 * handlers and the process's output are the real ones. The runs are against {@code --simulate} or a
 * simulator in this JVM.
 */
class ExitCodesProcessTest {
  @TempDir Path dir;

  /**
   * A started command whose combined output is read as it comes (a pipe nobody reads would block
   * it).
   */
  static final class Gkr {
    final Process process;
    private final StringBuffer output = new StringBuffer();
    private final Thread reader;
    private final List<Watch> watches = new ArrayList<>();

    private record Watch(String text, CountDownLatch seen) {}

    Gkr(Process process) {
      this.process = process;
      this.reader =
          Thread.ofPlatform()
              .daemon()
              .start(
                  () -> {
                    try (BufferedReader r =
                        new BufferedReader(
                            new InputStreamReader(
                                process.getInputStream(), StandardCharsets.UTF_8))) {
                      for (String line; (line = r.readLine()) != null; ) {
                        output.append(line).append('\n');
                        synchronized (watches) {
                          for (Watch w : watches) if (line.contains(w.text())) w.seen().countDown();
                        }
                      }
                    } catch (IOException e) {
                      output.append("(output unreadable: ").append(e).append(")\n");
                    }
                  });
    }

    /**
     * A latch released when a line containing {@code text} is printed (register before it can
     * appear).
     */
    CountDownLatch when(String text) {
      CountDownLatch latch = new CountDownLatch(1);
      synchronized (watches) {
        watches.add(new Watch(text, latch));
      }
      return latch;
    }

    /**
     * Waits for the exit (at most two minutes) and the end of its output; returns the exit code.
     */
    int exit() throws InterruptedException {
      assertTrue(process.waitFor(120, TimeUnit.SECONDS), "gkr did not end: " + output);
      reader.join(TimeUnit.SECONDS.toMillis(30));
      return process.exitValue();
    }

    String output() {
      return output.toString();
    }

    /**
     * Everything the process printed, JVM lines included: a normal run prints nothing but gkr's own
     * lines.
     */
    String gkrOutput() {
      return output.toString();
    }

    void signal(String name) throws Exception {
      assertEquals(
          0,
          new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start().waitFor());
    }
  }

  /**
   * Starts the real command in its own JVM. A process started from a background job inherits SIGINT
   * as ignored, and a JVM cannot undo that, so the command is exec'ed through python3 with SIGINT
   * reset to its default, as it is under an interactive shell (see CliTest).
   */
  private Gkr gkr(Map<String, String> env, String... args) throws IOException {
    List<String> cmd = GkrProcess.signalable(args);
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
    for (String var : dev.gkr.Rotator.KEY_VARIABLES) pb.environment().remove(var);
    pb.environment().putAll(env);
    return new Gkr(pb.start());
  }

  private Path write(String name, String content) throws IOException {
    return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
  }

  @Test
  void exit0WhenEveryTaskSucceeds() throws Exception {
    Path tasks = write("ok.csv", "id,prompt\na,Explain tides\nb,Explain rain\n");
    Gkr run = gkr(Map.of(), "--simulate", "--quiet", tasks.toString());
    assertEquals(0, run.exit(), run.output());
    // --quiet: no status and no key table, one line saying where the results are (issue 14)
    assertEquals(1, run.gkrOutput().lines().count(), run.gkrOutput());
    assertTrue(
        run.gkrOutput().startsWith("completed: 2 tasks, 2 succeeded, 0 failed | results: "),
        run.gkrOutput());
    List<String> csv = Files.readAllLines(dir.resolve("ok.results.csv"));
    assertEquals(3, csv.size(), csv.toString());
    assertTrue(csv.get(1).startsWith("a,Explain tides,true,"), csv.get(1));
  }

  @Test
  void exit1WhenATaskFailsAfterItsRetries() throws Exception {
    Path tasks = write("some.txt", "fine\nblocked [[sim:safety]]\n");
    Gkr run = gkr(Map.of(), "--simulate", "--quiet", "--max-retries", "0", tasks.toString());
    assertEquals(1, run.exit(), run.output());
    assertTrue(Files.readString(dir.resolve("some.results.csv")).contains("prompt_blocked"));
  }

  @Test
  void exit2ForBadInputWithOneClearLineAndNothingElse() throws Exception {
    Path tasks = write("np.csv", "id,question\n1,hi\n");
    Gkr run = gkr(Map.of(), "--simulate", tasks.toString());
    assertEquals(2, run.exit(), run.output());
    assertEquals(
        "gkr: " + tasks + " line 1: no 'prompt' column in the header (columns: id, question)\n",
        run.gkrOutput());
  }

  @Test
  void exit3WhenNoUsableKeyIsLeft() throws Exception {
    try (Simulator sim = Simulator.builder().unknownKeys(KeyBehavior.invalid()).start()) {
      Path tasks = write("dead.txt", "one\ntwo\n");
      Gkr run =
          gkr(
              Map.of("GEMINI_API_KEYS", "proc-bad-key-0001,proc-bad-key-0002"),
              "--quiet",
              "--base-url",
              sim.baseUrl(),
              tasks.toString());
      assertEquals(3, run.exit(), run.output());
      assertTrue(run.output().contains("no usable key was left"), run.output());
      assertTrue(Files.readString(dir.resolve("dead.results.csv")).contains("no_usable_keys"));
    }
  }

  @Test
  void sigtermStopsGracefullyWithExit130AndTheCheckpointKept() throws Exception {
    StringBuilder csv = new StringBuilder("prompt\n");
    for (int i = 0; i < 400; i++) csv.append("terminated question ").append(i).append('\n');
    Path tasks = write("term.csv", csv.toString());
    Gkr run =
        gkr(
            Map.of(),
            "--simulate",
            "--slots",
            "1",
            "--every",
            "200ms",
            "--monitor-interval",
            "200ms",
            tasks.toString());
    Path cp = dir.resolve("term.csv.checkpoint.jsonl");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (lines(cp) < 3) {
      assertTrue(
          run.process.isAlive() && System.nanoTime() < deadline,
          "run ended or stalled before SIGTERM: " + run.output());
      Thread.sleep(20); // polling another process's file: there is no latch across JVMs
    }
    run.signal("TERM");
    assertEquals(130, run.exit(), run.output());
    assertTrue(run.output().contains("Run the same command again to resume"), run.output());
    long done = lines(cp);
    assertTrue(done >= 3 && done < 400, "done " + done);
    assertEquals(
        401,
        Files.readAllLines(dir.resolve("term.results.csv")).size(),
        "every task has a row, finished or cancelled");
  }

  /**
   * Requests that take a minute: after the first Ctrl-C gkr waits for them (up to its 10 s grace
   * period); the second ends the process at once. "At once" is proved by its message and by the
   * exit coming before the grace period could have run out (10 s after the first signal; a signal
   * and a halt take milliseconds).
   */
  @Test
  void secondCtrlCStopsAtOnceWithExit130() throws Exception {
    try (Simulator slow =
        Simulator.builder().latency(Duration.ofSeconds(60), Duration.ZERO).start()) {
      Path tasks = write("slow.txt", "slow one\nslow two\nslow three\n");
      Gkr run =
          gkr(
              Map.of("GEMINI_API_KEYS", "proc-slow-key-0001"),
              "--slots",
              "2",
              "--base-url",
              slow.baseUrl(),
              tasks.toString());
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (slow.maxConcurrentRequests() < 2) {
        assertTrue(
            run.process.isAlive() && System.nanoTime() < deadline,
            "no requests in flight: " + run.output());
        Thread.sleep(20); // polling the simulator's count of requests held by another process
      }
      CountDownLatch stopping = run.when("gkr: stopping");
      run.signal("INT");
      long first = System.nanoTime();
      assertTrue(
          stopping.await(30, TimeUnit.SECONDS),
          "the first Ctrl-C was not acknowledged: " + run.output());
      assertTrue(run.process.isAlive(), "the first Ctrl-C should wait for the requests in flight");
      run.signal("INT");
      assertEquals(130, run.exit(), run.output());
      long afterFirst = System.nanoTime() - first;
      assertTrue(
          run.output()
              .contains(
                  "gkr: stopped at once: no results file was written; the finished tasks are in the"
                      + " checkpoint, and running the same command again resumes and writes the"
                      + " results"),
          run.output()); // issue 25, item 14: say that no results file was written
      assertTrue(
          afterFirst < TimeUnit.SECONDS.toNanos(10),
          "ended " + afterFirst / 1_000_000 + " ms after the first Ctrl-C: not at once");
      assertFalse(run.output().contains("Exception"), run.output());
    }
  }

  private static long lines(Path p) throws IOException {
    if (!Files.exists(p)) return 0;
    long c = 0;
    for (byte b : Files.readAllBytes(p)) if (b == '\n') c++;
    return c;
  }
}
