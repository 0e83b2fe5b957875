package dev.gkr.internal.embed;

import dev.gkr.Limits;
import dev.gkr.internal.keys.Pacing;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * One project's texts in the declared request window. Gemini counts every text of a
 * batchEmbedContents call as one request, at the call's arrival, so a pack of n texts needs n free
 * places: even spacing of calls (as generation paces) would let a window hold a pack more than the
 * limit. A pack may start when two counts allow it:
 *
 * <ul>
 *   <li>counted from each pack's <em>send</em> time, the window holds {@link Pacing#HEADROOM} of
 *       the limit: this is what sets the pace, so a run reaches 0.95 of the ceiling however long
 *       its calls take (counting from the answer, as the first version did, held each place for the
 *       window plus the call time: 0.82 of the ceiling with 500 ms windows);
 *   <li>counted from each pack's <em>answer</em> (a pack in flight holds its places), the window
 *       holds the whole limit. The server stamps a call somewhere between its send and its answer,
 *       so this count bounds what the server's window can hold, whatever the arrival jitter: the
 *       headroom left by the first count is what absorbs the jitter, and it can never be exceeded.
 * </ul>
 *
 * Guarded by the {@link EmbedRun}'s lock.
 */
final class TextWindow {
  private final int capacity; // the paced share of the limit
  private final int limit;
  private final long windowNanos;
  private final int perDay;
  private final ArrayDeque<long[]> packs = new ArrayDeque<>(); // {count, sendNanos, endNanos | -1}
  private int today;

  TextWindow(Limits limits) {
    this.limit = limits.requests();
    this.capacity = limit == 0 ? 0 : Math.max(1, (int) (limit * Pacing.HEADROOM));
    this.windowNanos = limits.window().toNanos();
    this.perDay = limits.requestsPerDay();
  }

  /**
   * The most texts one call of this project may carry: {@code max} (100) when requests are not
   * limited, else the window's capacity in equal packs (190 places: packs of 95, not 100 and 90, so
   * two packs fill a window).
   */
  int maxPack(int max) {
    if (capacity == 0 || capacity >= 10 * max) return max; // many packs: a remainder costs little
    int packs = (capacity + max - 1) / max;
    return Math.min(max, capacity / packs);
  }

  boolean dayFull(int n) {
    return perDay > 0 && today + n > perDay;
  }

  /**
   * When {@code n} texts may start: {@code now}, the time enough packs leave the window, or {@code
   * Long.MAX_VALUE} when only packs in flight could make room.
   */
  long freeAt(long now, int n) {
    if (capacity == 0) return now;
    while (!packs.isEmpty()
        && packs.peekFirst()[2] >= 0
        && packs.peekFirst()[2] <= now - windowNanos) packs.pollFirst();
    if (fits(now, n)) return now;
    List<Long> times = new ArrayList<>();
    for (long[] p : packs) {
      if (p[1] + windowNanos > now) times.add(p[1] + windowNanos);
      if (p[2] >= 0) times.add(p[2] + windowNanos);
    }
    times.sort(null);
    for (long t : times) if (fits(t, n)) return t;
    return Long.MAX_VALUE;
  }

  /** Whether {@code n} more texts at {@code t} keep both counts within their bounds. */
  private boolean fits(long t, int n) {
    int bySend = 0;
    int byAnswer = 0;
    for (long[] p : packs) {
      if (p[1] > t - windowNanos) bySend += (int) p[0];
      if (p[2] < 0 || p[2] > t - windowNanos) byAnswer += (int) p[0];
    }
    return bySend + n <= capacity && byAnswer + n <= limit;
  }

  /** A pack of {@code n} texts is sent at {@code now}. */
  long[] start(int n, long now) {
    today += n;
    long[] p = {n, now, -1};
    if (capacity > 0) packs.addLast(p);
    return p;
  }

  /** The pack's answer (or refusal) arrived. */
  void ended(long[] pack, long now) {
    pack[2] = now;
  }
}
