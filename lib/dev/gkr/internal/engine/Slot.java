package dev.gkr.internal.engine;

/**
 * One worker: a key and its own start-to-start pace, and the request it has in flight. Guarded by
 * the Scheduler's lock: the scheduler paces it ({@link #paceFrom}), the recorder notes its starts.
 */
public final class Slot {
  private final int number;
  private final int keyIndex;
  private long nextStart;
  private long currentStart;
  private long currentSeq;
  private int model;

  /**
   * @param number 1-based, as shown in results and logs
   * @param firstStart when it may start its first request, on the run's clock
   */
  public Slot(int number, int keyIndex, long firstStart) {
    this.number = number;
    this.keyIndex = keyIndex;
    this.nextStart = firstStart;
  }

  public int number() {
    return number;
  }

  public int keyIndex() {
    return keyIndex;
  }

  /** The earliest start of its next request. */
  long nextStart() {
    return nextStart;
  }

  /** Its next request starts no earlier than {@code t}. */
  void paceFrom(long t) {
    nextStart = t;
  }

  /** When its current (or last) request started, on the run's clock. */
  long currentStart() {
    return currentStart;
  }

  /** The run-wide number of its current request's hand-out (see {@link Timeline.Entry}). */
  long currentSeq() {
    return currentSeq;
  }

  /** Which model (its index in the run's chain) its current request asks. */
  int model() {
    return model;
  }

  void asks(int modelIndex) {
    model = modelIndex;
  }

  /** A request starts now; {@code seq} numbers its hand-out in the run. */
  void started(long now, long seq) {
    currentStart = now;
    currentSeq = seq;
  }
}
