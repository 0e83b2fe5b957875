package dev.gkr.internal.common;

import java.math.BigDecimal;
import java.util.Locale;

/**
 * How gkr writes numbers for programs and for people, in one place. One rule per kind of number:
 *
 * <ul>
 *   <li>money for people (the summary, the key table, messages): dollars to the micro-dollar,
 *       always six decimals ({@code $0.024800}, {@code $0.000013}), so a column lines up;
 *   <li>money in files (the checkpoint, results): plain decimals rounded to the nano-dollar ({@code
 *       0.0000128}, never {@code 1.2800000000000001E-5});
 *   <li>times in tables: seconds to the millisecond ({@code start_s 1.412}), latencies in whole
 *       milliseconds ({@code latency_ms 1962}); durations for people: see {@code Durations}.
 * </ul>
 */
public final class Numbers {
  private Numbers() {}

  /**
   * A number as plain decimal text for files: {@code 0.000627}, not {@code 6.27E-4}; whole values
   * keep their {@code .0} (they read back as numbers with a fraction); the same in every locale.
   */
  public static String plainDecimal(double x) {
    if (!Double.isFinite(x)) return Double.toString(x);
    String s = BigDecimal.valueOf(x).toPlainString();
    return s.contains(".") ? s : s + ".0";
  }

  /**
   * USD to the nano-dollar, for tables and files: {@code 3.174E-4}, not {@code
   * 3.1739999999999996E-4}.
   */
  public static double roundUsd(double usd) {
    return Double.isFinite(usd) ? Math.round(usd * 1e9) / 1e9 : usd;
  }

  /**
   * USD for people: {@code $12.340000}, {@code $0.000251}: six decimals always (a short request
   * costs about $0.00001, so fewer would show nothing).
   */
  public static String usd(double usd) {
    return String.format(Locale.ROOT, "$%.6f", usd);
  }

  /** The same six decimals for a column of USD in a table for people. */
  public static java.text.NumberFormat usdColumn() {
    return new java.text.DecimalFormat(
        "0.000000", java.text.DecimalFormatSymbols.getInstance(Locale.ROOT));
  }

  /** USD for a file: {@link #roundUsd} as plain decimal text ({@code 0.0000128}). */
  public static String usdPlain(double usd) {
    return BigDecimal.valueOf(roundUsd(usd)).stripTrailingZeros().toPlainString();
  }

  /** A count and its noun, singular for one: {@code 1 task}, {@code 1,200 tasks}. */
  public static String count(long n, String noun) {
    return String.format(Locale.ROOT, "%,d %s", n, n == 1 ? noun : noun + "s");
  }

  /** Seconds to the millisecond, from nanoseconds. */
  public static double secondsToMillis(long nanos) {
    return Math.round(nanos / 1e6) / 1e3;
  }

  /** Whole milliseconds, from nanoseconds. */
  public static double wholeMillis(long nanos) {
    return Math.round(nanos / 1e6);
  }
}
