package dev.gkr.internal.common;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The short durations users type: {@code 12s}, {@code 500ms}, {@code 1m}, {@code 1.5s}, {@code 2h},
 * {@code 0}, or ISO-8601 ({@code PT12S}). Parsed in this one place for the API, the CLI and
 * scripts.
 */
public final class Durations {
  private static final Pattern SHORT = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)");

  private Durations() {}

  /**
   * @throws IllegalArgumentException naming the accepted forms
   */
  public static Duration parse(String text) {
    return parse(text, "duration");
  }

  public static Duration parse(String text, String what) {
    if (text == null) throw new IllegalArgumentException(what + " must not be null");
    String t = text.strip().toLowerCase(Locale.ROOT);
    if (t.equals("0")) return Duration.ZERO;
    Matcher m = SHORT.matcher(t);
    if (!m.matches()) {
      try {
        return Duration.parse(text.strip()); // ISO-8601, e.g. PT12S
      } catch (RuntimeException e) {
        throw new IllegalArgumentException(
            what + " must look like 12s, 500ms, 1m or 2h, was '" + text + "'");
      }
    }
    double amount = Double.parseDouble(m.group(1));
    double millis =
        switch (m.group(2)) {
          case "ms" -> amount;
          case "s" -> amount * 1_000;
          case "m" -> amount * 60_000;
          default -> amount * 3_600_000;
        };
    return Duration.ofNanos(Math.round(millis * 1_000_000));
  }

  /** Short form for people: {@code 7s}, {@code 250ms}, {@code 4m}, {@code 1h05m}. */
  public static String format(Duration d) {
    long ms = d.toMillis();
    if (ms < 1_000) return ms + "ms";
    long tenths = Math.round(ms / 100.0); // one rule: 2s, 4.5s; 3,990 ms is 4s, never 4.0s
    if (tenths < 600)
      return (tenths % 10 == 0
              ? Long.toString(tenths / 10)
              : String.format(Locale.ROOT, "%.1f", tenths / 10.0))
          + "s";
    long s = Math.round(ms / 1000.0);
    if (s < 3600)
      return (s / 60) + "m" + (s % 60 == 0 ? "" : String.format(Locale.ROOT, "%02ds", s % 60));
    return (s / 3600) + "h" + String.format(Locale.ROOT, "%02dm", (s % 3600) / 60);
  }
}
