package dev.gkr;

import java.nio.file.Path;
import java.util.stream.IntStream;

/**
 * A batch in its own JVM, for the tests that kill a run with SIGKILL. Args: baseUrl checkpoint
 * tasks.
 */
public final class ChildRun {
  /** Starts this class in a new JVM on the test classpath; its output goes to {@code log}. */
  static Process spawn(String baseUrl, Path checkpoint, int tasks, Path log)
      throws java.io.IOException {
    return spawn(ChildRun.class, baseUrl, checkpoint, tasks, log);
  }

  /** Starts {@code main} (args: baseUrl checkpoint tasks) in a new JVM on the test classpath. */
  static Process spawn(Class<?> main, String baseUrl, Path checkpoint, int tasks, Path log)
      throws java.io.IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(
            java,
            "-cp",
            System.getProperty("java.class.path"),
            main.getName(),
            baseUrl,
            checkpoint.toString(),
            Integer.toString(tasks))
        .redirectErrorStream(true)
        .redirectOutput(log.toFile())
        .start();
  }

  public static void main(String[] args) {
    int n = Integer.parseInt(args[2]);
    Rotator.keys("child-key-1", "child-key-2")
        .slots(4)
        .baseUrl(args[0])
        .checkpoint(Path.of(args[1]))
        .run(IntStream.rangeClosed(1, n).mapToObj(i -> "resumable question " + i).toList());
  }
}
