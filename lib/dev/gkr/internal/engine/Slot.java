package dev.gkr.internal.engine;

/**
 * One worker: a key and its own start-to-start pace. {@code nextStart} is read and written only
 * under the {@link Scheduler}'s lock.
 *
 * @param number 1-based, as shown in results and logs
 */
public final class Slot {
  private final int number;
  private final int keyIndex;
  long nextStart;
  long currentStart;
  long currentSeq;

  public Slot(int number, int keyIndex, long firstStart) {
    this.number = number;
    this.keyIndex = keyIndex;
    this.nextStart = firstStart;
  }

  int number() {
    return number;
  }

  public int keyIndex() {
    return keyIndex;
  }
}
