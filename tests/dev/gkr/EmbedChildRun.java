package dev.gkr;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

/**
 * An embedding run in its own JVM, for the test that kills it with SIGKILL. Args: baseUrl
 * checkpoint texts.
 */
public final class EmbedChildRun {
  static List<String> texts(int n) {
    return IntStream.rangeClosed(1, n).mapToObj(i -> "resumable text " + i).toList();
  }

  /** Packs of at most 19 texts, about 95 texts a second: the kill lands midway. */
  static Rotator rotator(String baseUrl, Path checkpoint) {
    return Rotator.keys("child-key-1")
        .slots(2)
        .limits(Limits.per(20, Duration.ofMillis(200)))
        .baseUrl(baseUrl)
        .checkpoint(checkpoint);
  }

  public static void main(String[] args) {
    rotator(args[0], Path.of(args[1]))
        .embed(texts(Integer.parseInt(args[2])), Embedding.DEFAULT.dimensions(8));
  }
}
