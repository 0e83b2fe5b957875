package dev.gkr;

/**
 * How a run sends its tasks: {@link #SYNC} one generateContent request per task (the default);
 * {@link #BATCH} as Gemini Batch Mode jobs, at half the price, with a turnaround of up to 24 hours;
 * {@link #AUTO} synchronously as many tasks as the declared quota finishes within the deadline, the
 * rest as batch jobs at once.
 */
public enum Mode {
  SYNC,
  BATCH,
  AUTO;

  /** {@code sync}, {@code batch} or {@code auto}, any case; names the bad value otherwise. */
  public static Mode parse(String text) {
    String t = text == null ? "" : text.strip().toUpperCase(java.util.Locale.ROOT);
    for (Mode m : values()) if (m.name().equals(t)) return m;
    throw new IllegalArgumentException("mode must be sync, batch or auto, was " + text);
  }
}
