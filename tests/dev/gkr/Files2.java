package dev.gkr;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Test helpers for files written by another process. */
final class Files2 {
  private Files2() {}

  /**
   * Complete lines (newline-terminated) in a file another process appends to; 0 if it does not
   * exist yet.
   */
  static long completeLines(Path p) throws IOException {
    if (!Files.exists(p)) return 0;
    long c = 0;
    for (byte b : Files.readAllBytes(p)) if (b == '\n') c++;
    return c;
  }

  /** A child's log for a failure message; never throws. */
  static String text(Path p) {
    try {
      return Files.exists(p) ? Files.readString(p) : "(no log)";
    } catch (IOException e) {
      return "(log unreadable: " + e + ")";
    }
  }
}
