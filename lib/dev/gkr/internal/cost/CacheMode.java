package dev.gkr.internal.cost;

import java.util.Locale;

/**
 * Whether the shared context goes into one explicit cache per project ({@code --cache}, {@code
 * Cost.Builder.contextCache}): never, when the plan's estimate says it saves money, or whenever the
 * API takes it.
 */
public enum CacheMode {
  OFF,
  AUTO,
  ON;

  /** The name on the command line and in Java: {@code off}, {@code auto}, {@code on}. */
  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** {@code off}, {@code auto} or {@code on} (any case); anything else names the bad value. */
  public static CacheMode of(String text) {
    String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
    return switch (t) {
      case "off" -> OFF;
      case "auto" -> AUTO;
      case "on" -> ON;
      default ->
          throw new IllegalArgumentException(
              "contextCache must be off, auto or on, was "
                  + (text == null ? "null" : "'" + text + "'"));
    };
  }
}
