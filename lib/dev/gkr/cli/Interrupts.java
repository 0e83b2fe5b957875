package dev.gkr.cli;

import java.io.PrintStream;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Ctrl-C (SIGINT) and SIGTERM (CI cancellation, {@code timeout}, {@code kill}): the first one interrupts the
 * thread running the batch (graceful stop: in-flight requests finish, the checkpoint is flushed, results are
 * written); a second one ends the process at once. A process started with SIGINT ignored (a background job)
 * keeps ignoring it: the JVM cannot install a handler then.
 */
final class Interrupts {
  private final java.util.Map<String, SignalHandler> previous = new java.util.HashMap<>();
  private volatile int count;

  private Interrupts(Thread runner, PrintStream err) {
    SignalHandler handler = sig -> {
      if (++count == 1) {
        err.println();
        err.println("gkr: stopping: letting requests in flight finish (Ctrl-C again to stop at once)");
        runner.interrupt();
      } else {
        err.println("gkr: stopped at once; finished tasks are in the checkpoint");
        Runtime.getRuntime().halt(GkrCommand.INTERRUPTED);
      }
    };
    for (String name : new String[] {"INT", "TERM"}) {
      try {
        previous.put(name, Signal.handle(new Signal(name), handler));
      } catch (IllegalArgumentException e) {
        // ignored at startup or unknown on this platform: leave it as it is
      }
    }
  }

  static Interrupts install(Thread runner, PrintStream err) {
    return new Interrupts(runner, err);
  }

  void uninstall() {
    previous.forEach((name, handler) -> Signal.handle(new Signal(name), handler));
  }
}
