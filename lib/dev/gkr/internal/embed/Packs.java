package dev.gkr.internal.embed;

import dev.gkr.Embedding;
import dev.gkr.internal.keys.Pacing;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/** How texts are packed into calls, and what of the settings a checkpointed vector depends on. */
final class Packs {
  private Packs() {}

  /**
   * Consecutive texts of one title (one call sends one title), at most {@code max} a pack and, when
   * the tokens per window are limited ({@code tokenCap > 0}), no more tokens than the window holds
   * at {@link Pacing#HEADROOM}.
   */
  static List<Pack> of(
      List<Integer> todo, IntFunction<String> title, long[] tokens, int max, long tokenCap) {
    List<Pack> out = new ArrayList<>();
    List<Integer> cur = new ArrayList<>();
    long curTokens = 0;
    for (int i : todo) {
      boolean full =
          !cur.isEmpty()
              && (cur.size() >= max
                  || !title.apply(cur.get(0)).equals(title.apply(i))
                  || (tokenCap > 0 && curTokens + tokens[i] > tokenCap * Pacing.HEADROOM));
      if (full) {
        out.add(pack(cur, title));
        cur.clear();
        curTokens = 0;
      }
      cur.add(i);
      curTokens += tokens[i];
    }
    if (!cur.isEmpty()) out.add(pack(cur, title));
    return out;
  }

  /**
   * A pack refused by a per-minute quota goes again as two halves (in order): a project whose limit
   * was not declared may hold fewer texts a window than a pack carries, and a too-big pack would be
   * refused forever (Gemini counts every text). A pack of one stays as it is.
   */
  static List<Pack> halves(Pack pack) {
    int[] items = pack.items();
    if (items.length == 1) return List.of(pack);
    int half = items.length / 2;
    return List.of(
        new Pack(java.util.Arrays.copyOfRange(items, 0, half), pack.title(), 0),
        new Pack(java.util.Arrays.copyOfRange(items, half, items.length), pack.title(), 0));
  }

  private static Pack pack(List<Integer> items, IntFunction<String> title) {
    return new Pack(items.stream().mapToInt(x -> x).toArray(), title.apply(items.get(0)), 0);
  }

  /**
   * The settings a vector depends on, hashed with its text for the checkpoint: a rerun with another
   * model, size, task type or title column embeds again.
   */
  static String settings(Embedding how) {
    return "embed|"
        + how.model()
        + "|"
        + how.dimensions().map(String::valueOf).orElse("")
        + "|"
        + how.taskType().orElse("")
        + "|"
        + how.titleColumn().orElse("");
  }
}
