package dev.gkr.internal.embed;

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
}
