package dev.gkr;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

/**
 * A run with a context cache in each of two projects, in its own JVM, for the test that kills it
 * with SIGKILL. Args: baseUrl checkpoint tasks. The context is {@code manual.txt} beside the
 * checkpoint.
 */
public final class CacheChildRun {
  static final String A1 = "cache-child-a001", A2 = "cache-child-a002";
  static final String B1 = "cache-child-b001", B2 = "cache-child-b002";

  static List<String> questions(int n) {
    return IntStream.rangeClosed(1, n).mapToObj(i -> "cached question " + i).toList();
  }

  /** About 100 tasks a second per project: the kill lands midway. */
  static Rotator rotator(String baseUrl, Path checkpoint) {
    return Rotator.keys(A1, A2, B1, B2)
        .project("alpha", A1, A2)
        .project("beta", B1, B2)
        .slots(2)
        .limits(Limits.per(20, Duration.ofMillis(200)))
        .baseUrl(baseUrl)
        .checkpoint(checkpoint)
        .context(checkpoint.resolveSibling("manual.txt"))
        .cost(Cost.builder().contextCache("on").build());
  }

  public static void main(String[] args) {
    rotator(args[0], Path.of(args[1])).run(questions(Integer.parseInt(args[2])));
  }
}
