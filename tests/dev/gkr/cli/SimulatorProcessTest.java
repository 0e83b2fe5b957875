package dev.gkr.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code gkr simulator} as a real process: stopped on request (SIGTERM, Ctrl-C), it says so in one
 * line and exits 0, as a server stopped on purpose has not failed.
 */
class SimulatorProcessTest {
  @TempDir Path dir;

  @Test
  void sigtermStopsTheSimulatorWithOneLineAndExit0() throws Exception {
    Process p = simulator();
    BufferedReader out = awaitListening(p);
    // SIGTERM, as Process.destroy() sends it; the handle's destroy leaves the pipes open to read
    // the rest of the output (Process.destroy() closes them)
    assertTrue(p.toHandle().destroy());
    assertStoppedCleanly(p, out);
  }

  @Test
  void ctrlCStopsTheSimulatorWithOneLineAndExit0() throws Exception {
    Process p = simulator();
    BufferedReader out = awaitListening(p);
    assertEquals(0, new ProcessBuilder("kill", "-INT", Long.toString(p.pid())).start().waitFor());
    assertStoppedCleanly(p, out);
  }

  /**
   * The real command in its own JVM, exec'ed through python3 with SIGINT reset to its default (a
   * process started from a background job inherits SIGINT ignored; see ExitCodesProcessTest).
   */
  private Process simulator() throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder(GkrProcess.signalable("simulator"))
            .directory(dir.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    pb.environment().remove("JDK_JAVA_OPTIONS");
    pb.environment().remove("JAVA_TOOL_OPTIONS");
    return pb.start();
  }

  /**
   * Blocks until the simulator prints its address (it serves from then on); the reader holds the
   * rest of standard output.
   */
  private static BufferedReader awaitListening(Process p) throws Exception {
    BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String line = out.readLine();
    if (line == null || !line.startsWith("gkr simulator listening on http://127.0.0.1:")) {
      p.destroyForcibly();
      throw new AssertionError(
          "expected the address line, got "
              + line
              + "\n"
              + new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }
    return out;
  }

  private static void assertStoppedCleanly(Process p, BufferedReader stdout) throws Exception {
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("the simulator did not stop on the signal");
    }
    StringBuilder rest = new StringBuilder();
    for (String line; (line = stdout.readLine()) != null; ) rest.append(line).append('\n');
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), rest + err);
    assertEquals("gkr: simulator stopped\n", err);
    assertEquals("", rest.toString()); // nothing after the address line on standard output
  }
}
