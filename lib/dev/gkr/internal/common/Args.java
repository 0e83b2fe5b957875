package dev.gkr.internal.common;

import java.time.Duration;

/** The argument checks the public builders share, each with the one message it gives. */
public final class Args {
  private Args() {}

  /**
   * @throws IllegalArgumentException "NAME must not be blank"
   */
  public static String nonBlank(String value, String name) {
    if (value == null || value.isBlank())
      throw new IllegalArgumentException(name + " must not be blank");
    return value;
  }

  /**
   * @throws IllegalArgumentException "NAME must be in MIN..MAX, was V" (NaN included)
   */
  public static double inRange(double value, int min, int max, String name) {
    if (!(value >= min && value <= max))
      throw new IllegalArgumentException(
          name + " must be in " + min + ".." + max + ", was " + value);
    return value;
  }

  /**
   * @throws IllegalArgumentException "NAME must be >= 0, was V" for null or negative
   */
  public static Duration nonNegative(Duration value, String name) {
    if (value == null || value.isNegative())
      throw new IllegalArgumentException(name + " must be >= 0, was " + value);
    return value;
  }

  /**
   * @throws IllegalArgumentException "NAME must be >= 0, was V"
   */
  public static long nonNegative(long value, String name) {
    if (value < 0) throw new IllegalArgumentException(name + " must be >= 0, was " + value);
    return value;
  }
}
