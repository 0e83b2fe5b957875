package dev.gkr;

/**
 * How a run sends its tasks (issue 19): {@link #SYNC} one generateContent request per task (the default), or
 * {@link #BATCH} as Gemini Batch Mode jobs, at half the price and with a turnaround of up to 24 hours.
 * An {@code AUTO} mode (synchronous while a deadline can be met, batch for the rest) is not offered; the README's
 * "Batch Mode" section says why.
 */
public enum Mode {
  SYNC,
  BATCH;

  /** {@code sync} or {@code batch}, any case; names the bad value otherwise. */
  public static Mode parse(String text) {
    String t = text == null ? "" : text.strip().toUpperCase(java.util.Locale.ROOT);
    for (Mode m : values()) if (m.name().equals(t)) return m;
    if (t.equals("AUTO")) {
      throw new IllegalArgumentException("mode auto is not offered: Batch Mode jobs can sit pending for hours, so no deadline can be promised; use sync or batch (see README, Batch Mode)");
    }
    throw new IllegalArgumentException("mode must be sync or batch, was " + text);
  }
}
