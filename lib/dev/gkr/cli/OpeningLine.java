package dev.gkr.cli;

import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A line that opens the run's output ({@code gkr: simulating Gemini at ...}), held back until the
 * run prints something else or ends: a run refused for its input (a missing file, a bad row) says
 * only why, not first that it was about to start. Any thread; printed once.
 */
final class OpeningLine {
  private final PrintStream out;
  private final AtomicReference<String> pending;

  OpeningLine(PrintStream out, String line) {
    this.out = out;
    this.pending = new AtomicReference<>(line);
  }

  /** None: nothing to print. */
  static OpeningLine none() {
    return new OpeningLine(null, null);
  }

  /** Prints the line if it has not been printed yet. */
  void print() {
    String line = pending.getAndSet(null);
    if (line != null) out.println(line);
  }
}
