package dev.gkr.internal.embed;

import dev.gkr.internal.common.Listeners;
import dev.gkr.internal.common.SideFiles;
import dev.gkr.internal.config.Settings;
import dev.gkr.internal.keys.KeyBook;
import dev.gkr.internal.keys.KeyState;
import dev.gkr.internal.keys.ParkedKeys;
import dev.gkr.internal.keys.ProjectState;

/**
 * Which key sends the next pack: a usable key, not cooling, whose project is not paused, has room
 * for the pack's texts in its request window ({@link TextWindow}) and for its tokens in the token
 * window ({@link ProjectState}), taken in turn so the keys share the work. A project whose day is
 * spent stays parked until midnight Pacific for later runs too, in the generation's sidecar beside
 * the checkpoint ({@link ParkedKeys}). Guarded by the {@link EmbedRun}'s lock.
 */
final class KeyChoice {
  /** A key that may send now, or none and when one may. */
  record Choice(KeyState key, long wake) {}

  private final KeyBook book;
  private final TextWindow[] windows;
  private int next;

  /** Keys paced by the limits declared for {@code model} (the embedding model), or for all. */
  KeyChoice(Settings settings, String model) {
    this.book =
        new KeyBook(
            settings.keys(),
            settings.projectOfKey(),
            settings.limits(),
            java.util.List.of(model),
            ParkedKeys.load(settings.besideCheckpoint(SideFiles.PARKED_KEYS).orElse(null)),
            settings.clock(),
            () -> {});
    // parked before anything is sent: an earlier run found their day spent
    Listeners.publish(settings.listeners(), book.parkRemembered(settings.clock().instant()));
    this.windows = new TextWindow[book.projectCount()];
    for (int i = 0; i < book.size(); i++) {
      int p = book.projectIndexes()[i];
      if (windows[p] == null) windows[p] = new TextWindow(book.projectOf(book.key(i)).limits());
    }
  }

  KeyBook book() {
    return book;
  }

  TextWindow window(KeyState k) {
    return windows[book.projectIndexes()[k.index()]];
  }

  /** The most texts a pack may carry: {@code max}, or fewer when a project's window is smaller. */
  int maxPack(int max) {
    for (TextWindow w : windows) max = w.maxPack(max);
    return max;
  }

  /**
   * A key for {@code n} texts of {@code tokens} estimated tokens now; else the earliest time one
   * may go ({@code Long.MAX_VALUE}: none will before a pack in flight ends, or every day is spent).
   */
  Choice choose(int n, long tokens, long now) {
    long wake = Long.MAX_VALUE;
    for (int j = 0; j < book.size(); j++) {
      KeyState k = book.key((next + j) % book.size());
      if (!k.usable()) continue;
      ProjectState p = book.projectOf(k);
      TextWindow w = window(k);
      if (w.dayFull(n)) continue;
      long at = Math.max(k.coolUntil(), p.pausedUntil());
      at = Math.max(at, w.freeAt(now, n));
      if (p.tokenLimited()) at = Math.max(at, p.tokensFreeAt(now, tokens));
      if (at <= now) {
        next = (k.index() + 1) % book.size();
        return new Choice(k, now);
      }
      wake = Math.min(wake, at);
    }
    return new Choice(null, wake);
  }
}
