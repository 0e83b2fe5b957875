package dev.gkr.internal.embed;

import dev.gkr.Limits;
import dev.gkr.internal.keys.Pacing;
import java.util.ArrayDeque;

/**
 * One project's texts in the declared request window. Gemini counts every text of a
 * batchEmbedContents call as one request, so a pack of n texts needs n free places: even spacing of
 * calls (as generation paces) would let a window hold a pack more than the limit. A pack leaves the
 * window one window after its answer arrived, as the token window does (the server stamps a request
 * when it arrives, after gkr starts it). Aims at {@link Pacing#HEADROOM} of the limit. Guarded by
 * the {@link EmbedRun}'s lock.
 */
final class TextWindow {
  private final int capacity;
  private final long windowNanos;
  private final int perDay;
  private final ArrayDeque<long[]> packs = new ArrayDeque<>(); // {count, endNanos or -1}
  private int held;
  private int today;

  TextWindow(Limits limits) {
    this.capacity =
        limits.requests() == 0 ? 0 : Math.max(1, (int) (limits.requests() * Pacing.HEADROOM));
    this.windowNanos = limits.window().toNanos();
    this.perDay = limits.requestsPerDay();
  }

  /** The most texts one call of this project may carry (100 when requests are not limited). */
  int maxPack(int max) {
    return capacity == 0 ? max : Math.min(max, capacity);
  }

  boolean dayFull(int n) {
    return perDay > 0 && today + n > perDay;
  }

  /**
   * When {@code n} texts may start: {@code now}, the time enough answered packs leave the window,
   * or {@code Long.MAX_VALUE} when only packs in flight could make room.
   */
  long freeAt(long now, int n) {
    if (capacity == 0) return now;
    while (!packs.isEmpty()
        && packs.peekFirst()[1] >= 0
        && packs.peekFirst()[1] <= now - windowNanos) held -= (int) packs.pollFirst()[0];
    if (held + n <= capacity) return now;
    int h = held;
    for (long[] p : packs) {
      if (p[1] < 0) return Long.MAX_VALUE;
      h -= (int) p[0];
      if (h + n <= capacity) return p[1] + windowNanos;
    }
    return now;
  }

  long[] start(int n) {
    today += n;
    long[] p = {n, -1};
    if (capacity > 0) {
      packs.addLast(p);
      held += n;
    }
    return p;
  }

  /** The pack's answer (or refusal) arrived: it leaves the window one window from now. */
  void ended(long[] pack, long now) {
    pack[1] = now;
  }
}
