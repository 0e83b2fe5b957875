package dev.gkr.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real {@code gkr} command (or any main class) in its own JVM on the test classpath, as a user
 * runs it.
 */
record GkrProcess(int code, String out, String err) {
  static GkrProcess run(Path dir, Map<String, String> env, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(javaOptions());
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), GkrCommand.class.getName()));
    cmd.addAll(List.of(args));
    return java(dir, env, cmd);
  }

  /** The JVM options the JBang launcher gives gkr ({@code //JAVA_OPTIONS} of scripts/gkr.java). */
  static List<String> javaOptions() throws java.io.IOException {
    List<String> options = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of("scripts/gkr.java")))
      if (line.startsWith("//JAVA_OPTIONS "))
        options.addAll(List.of(line.substring(15).strip().split("\\s+")));
    return options;
  }

  /**
   * {@code java ARGS} with this JVM's java; {@code env} entries are added, and the key variables
   * removed unless given.
   */
  static GkrProcess java(Path dir, Map<String, String> env, List<String> args) throws Exception {
    List<String> cmd =
        new ArrayList<>(
            List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    cmd.addAll(args);
    Path out = Files.createTempFile(dir, "stdout-", ".txt");
    Path err = Files.createTempFile(dir, "stderr-", ".txt");
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .directory(dir.toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    for (String v : dev.gkr.Rotator.KEY_VARIABLES) pb.environment().remove(v);
    pb.environment().remove("JDK_JAVA_OPTIONS");
    pb.environment().remove("JAVA_TOOL_OPTIONS");
    pb.environment().putAll(env);
    Process p = pb.start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("did not end within 120 s: " + cmd);
    }
    GkrProcess r =
        new GkrProcess(
            p.exitValue(),
            Files.readString(out, StandardCharsets.UTF_8),
            Files.readString(err, StandardCharsets.UTF_8));
    Files.delete(out);
    Files.delete(err);
    return r;
  }

  /**
   * The command line of the real {@code gkr} command for a test that drives the process itself
   * (signals, output read as it comes). A process started from a background job (CI, a build tool)
   * inherits SIGINT as ignored, and a JVM cannot undo that, so the command is exec'ed through
   * python3 with SIGINT reset to its default, as it is under an interactive shell.
   */
  static List<String> signalable(String... args) {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "python3",
                "-c",
                "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL);"
                    + " os.execv(sys.argv[1], sys.argv[1:])",
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                GkrCommand.class.getName()));
    cmd.addAll(List.of(args));
    return cmd;
  }
}
