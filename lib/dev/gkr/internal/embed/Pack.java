package dev.gkr.internal.embed;

import dev.gkr.Outcome;
import dev.gkr.RotatorEvent;
import java.time.Instant;

/**
 * Texts sent in one call: their task indexes, the title they share (empty for none) and the
 * earliest time the pack may go (a transient failure's backoff).
 */
record Pack(int[] items, String title, long notBefore) {
  /** The pack's estimated input tokens, given each text's. */
  long tokens(long[] perText) {
    long sum = 0;
    for (int i : items) sum += perText[i];
    return sum;
  }

  /** The error log's event for a failed call of this pack, named by its first text. */
  RotatorEvent.AttemptFailed failed(
      Instant time, EmbedTexts in, int attempt, String key, Outcome.Failure f) {
    String id = in.id(items[0]);
    if (items.length > 1) id += " and " + (items.length - 1) + " more texts of its call";
    String next =
        switch (f.type().kind()) {
          case TASK ->
              items.length > 1
                  ? "a text Gemini names fails alone, else each text goes alone"
                  : "retried up to maxRetries, then the text fails";
          case RUN -> "the run stops";
          default -> "the texts go again";
        };
    return new RotatorEvent.AttemptFailed(time, id, attempt, key, 0, f, next);
  }
}
