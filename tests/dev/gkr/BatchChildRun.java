package dev.gkr;

import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.IntStream;

/**
 * A Batch Mode run in its own JVM, for the test that kills it with SIGKILL (issue 19). Args:
 * baseUrl checkpoint tasks.
 */
public final class BatchChildRun {
  static Process spawn(String baseUrl, Path checkpoint, int tasks, Path log)
      throws java.io.IOException {
    return ChildRun.spawn(BatchChildRun.class, baseUrl, checkpoint, tasks, log);
  }

  static Rotator rotator(String baseUrl, Path checkpoint) {
    return Rotator.keys("batch-child-1")
        .baseUrl(baseUrl)
        .checkpoint(checkpoint)
        .batchMode(
            BatchMode.builder()
                .mode(Mode.BATCH)
                .polling(Duration.ofMillis(50), Duration.ofMillis(200))
                .build());
  }

  static java.util.List<String> prompts(int n) {
    return IntStream.rangeClosed(1, n).mapToObj(i -> "crash question " + i).toList();
  }

  public static void main(String[] args) {
    rotator(args[0], Path.of(args[1])).run(prompts(Integer.parseInt(args[2])));
  }
}
