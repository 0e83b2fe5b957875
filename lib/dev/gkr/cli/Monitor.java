package dev.gkr.cli;

import dev.gkr.Rotator;
import dev.gkr.RunStats;
import java.io.PrintStream;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;

/**
 * The live status: on a terminal one line redrawn in place with a progress bar; otherwise a plain log line
 * per interval. Reads {@link Rotator#stats()} only, so it never slows the slots down.
 */
final class Monitor {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");
  private final Thread thread;
  private final PrintStream out;
  private final boolean terminal;
  private volatile boolean drawn;

  private Monitor(Rotator rotator, PrintStream out, Duration interval, int total) {
    this.out = out;
    this.terminal = System.console() != null && out == System.out;
    this.thread = Thread.ofPlatform().daemon().name("gkr-monitor").unstarted(() -> loop(rotator, interval, total));
  }

  static Monitor start(Rotator rotator, PrintStream out, Duration interval, int total) {
    Monitor m = new Monitor(rotator, out, interval.isZero() ? Duration.ofSeconds(2) : interval, total);
    m.thread.start();
    return m;
  }

  private void loop(Rotator rotator, Duration interval, int total) {
    try {
      while (!Thread.currentThread().isInterrupted()) {
        Thread.sleep(interval);
        RunStats s = rotator.stats();
        if (!s.state().equals("running") && !s.state().equals("stopping")) continue;
        String line = bar(s.done(), total) + " " + s.statusLine();
        if (terminal) {
          out.print("\r\033[K" + line);
          out.flush();
          drawn = true;
        } else {
          out.println(LocalTime.now().format(TIME) + " " + line);
        }
      }
    } catch (InterruptedException e) {
      // stopped
    }
  }

  static String bar(int done, int total) {
    int width = 20;
    int filled = total == 0 ? width : (int) ((long) done * width / total);
    int pct = total == 0 ? 100 : (int) ((long) done * 100 / total);
    return "[" + "#".repeat(filled) + "-".repeat(width - filled) + "] " + pct + "%";
  }

  void stop() {
    thread.interrupt();
    try {
      thread.join(1_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (drawn) out.println();
  }
}
