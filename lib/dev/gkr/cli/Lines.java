package dev.gkr.cli;

import java.io.PrintStream;

/**
 * Where gkr's own stderr lines go during a run: through the monitor while it shows a status line
 * (it wipes the line first), else straight to standard error. Thread-safe.
 */
final class Lines {
  private volatile PrintStream out;
  private final OpeningLine opening;

  Lines(PrintStream out) {
    this(out, OpeningLine.none());
  }

  /** Lines that print {@code opening} before the first of them. */
  Lines(PrintStream out, OpeningLine opening) {
    this.out = out;
    this.opening = opening;
  }

  void println(String line) {
    opening.print();
    out.println(line);
  }

  /** From now on, lines go to {@code to}. */
  void route(PrintStream to) {
    this.out = to;
  }
}
