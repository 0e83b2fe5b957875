package dev.gkr.sim;

import java.nio.charset.StandardCharsets;

/** How the simulator counts tokens and shows keys. */
final class SimText {
  private SimText() {}

  /** The same rough rule as the docs: about four characters a token. */
  static int tokens(String s) {
    return s.isEmpty() ? 0 : Math.max(1, (s.getBytes(StandardCharsets.UTF_8).length + 3) / 4);
  }

  /** A key as the request log shows it: its last four characters. */
  static String mask(String key) {
    if (key == null || key.isEmpty()) return "(none)";
    return "…" + key.substring(Math.max(0, key.length() - 4));
  }
}
