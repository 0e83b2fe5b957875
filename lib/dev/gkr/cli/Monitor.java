package dev.gkr.cli;

import dev.gkr.Rotator;
import dev.gkr.RunStats;
import java.io.OutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The live status: on a terminal one line redrawn in place with a progress bar; otherwise a plain
 * log line per interval. Reads {@link Rotator#stats()} only, so it never slows the slots down.
 *
 * <p>On a terminal, gkr's other lines (notices, Ctrl-C messages) go through {@link #guard}: it
 * wipes the status line before each of them, so a line never lands in the middle of the bar; the
 * next tick redraws it.
 */
final class Monitor {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");
  private static final String CLEAR_LINE = "\r\033[K";
  private final Thread thread;
  private final PrintStream out;
  private final boolean terminal;
  private final ReentrantLock lock =
      new ReentrantLock(); // the status line and the lines that must not break it
  private boolean drawn; // guarded by lock: a status line is on screen now
  private volatile OpeningLine opening = OpeningLine.none();

  Monitor(Rotator rotator, PrintStream out, Duration interval, int total, boolean terminal) {
    this.out = out;
    this.terminal = terminal;
    this.thread =
        Thread.ofPlatform()
            .daemon()
            .name("gkr-monitor")
            .unstarted(() -> loop(rotator, interval, total));
  }

  static Monitor start(Rotator rotator, PrintStream out, Duration interval, int total) {
    Monitor m =
        new Monitor(
            rotator,
            out,
            interval.isZero() ? Duration.ofSeconds(2) : interval,
            total,
            System.console() != null && out == System.out);
    m.thread.start();
    return m;
  }

  /**
   * {@code gkr embed}'s status line, redrawn in place on {@code out} (stderr: stdout may carry the
   * vectors) when gkr runs on a terminal; null (no live lines) otherwise.
   */
  static Monitor onTerminal(Rotator rotator, PrintStream out, int total) {
    if (System.console() == null) return null;
    Monitor m = new Monitor(rotator, out, Duration.ofSeconds(2), total, true);
    m.thread.start();
    return m;
  }

  private void loop(Rotator rotator, Duration interval, int total) {
    try {
      while (!Thread.currentThread().isInterrupted()) {
        Thread.sleep(interval);
        RunStats s = rotator.stats();
        if (!s.state().active()) continue;
        show(bar(s.done(), total) + " " + s.statusLine());
      }
    } catch (InterruptedException e) {
      // stopped
    }
  }

  /** The line printed before the first status line. */
  void opening(OpeningLine line) {
    this.opening = line;
  }

  /** Draws the status line in place (terminal), or logs it with the time. */
  void show(String line) {
    lock.lock();
    try {
      opening.print();
      if (terminal) {
        out.print(CLEAR_LINE + line);
        out.flush();
        drawn = true;
      } else {
        out.println(LocalTime.now().format(TIME) + " " + line);
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * A stream for other lines of the run (e.g. stderr) that first wipes a status line drawn on the
   * terminal.
   */
  PrintStream guard(PrintStream other) {
    OutputStream clearing =
        new OutputStream() {
          @Override
          public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
          }

          @Override
          public void write(byte[] b, int off, int len) {
            lock.lock();
            try {
              if (drawn) {
                out.print(CLEAR_LINE);
                out.flush();
                drawn = false;
              }
              other.write(b, off, len);
              other.flush();
            } finally {
              lock.unlock();
            }
          }
        };
    return new PrintStream(clearing, true, other.charset());
  }

  static String bar(int done, int total) {
    int width = 20;
    int filled = total == 0 ? width : (int) ((long) done * width / total);
    int pct = total == 0 ? 100 : (int) ((long) done * 100 / total);
    return "[" + "#".repeat(filled) + "-".repeat(width - filled) + "] " + pct + "%";
  }

  /** Stops the loop and wipes the last status line, so the summary starts on a clean line. */
  void stop() {
    thread.interrupt();
    try {
      thread.join(1_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    lock.lock();
    try {
      if (drawn) {
        out.print(CLEAR_LINE); // a frozen bar above the summary would read as still running
        out.flush();
      }
      drawn = false;
    } finally {
      lock.unlock();
    }
  }
}
