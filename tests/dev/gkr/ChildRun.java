package dev.gkr;

import java.nio.file.Path;
import java.util.stream.IntStream;

/** A batch in its own JVM, for the tests that kill a run with SIGKILL. Args: baseUrl checkpoint tasks. */
public final class ChildRun {
  public static void main(String[] args) {
    int n = Integer.parseInt(args[2]);
    Rotator.keys("child-key-1", "child-key-2").slots(4).baseUrl(args[0]).checkpoint(Path.of(args[1]))
        .run(IntStream.rangeClosed(1, n).mapToObj(i -> "resumable question " + i).toList());
  }
}
