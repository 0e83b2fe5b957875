package dev.gkr.internal.common;

import java.math.BigDecimal;
import java.util.Locale;

/**
 * How gkr writes numbers for programs and for people, in one place: plain decimals in files, money
 * to the nano-dollar in tables, and dollars for people.
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
   * USD for people: {@code $12.3400}, {@code $0.000251} below a cent (a small test batch costs
   * fractions of a cent).
   */
  public static String usd(double usd) {
    return String.format(Locale.ROOT, Math.abs(usd) >= 0.01 || usd == 0 ? "$%.4f" : "$%.6f", usd);
  }
}
