package dev.gkr.cli;

import dev.gkr.sim.Simulator;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code gkr simulator}: the Gemini simulator as a standalone server, until Ctrl-C or SIGTERM,
 * which stop it cleanly (exit 0: a server stopped on request is not an interrupted run).
 */
@Command(
    name = "simulator",
    mixinStandardHelpOptions = true,
    description = "Start the offline Gemini simulator on 127.0.0.1 and serve until stopped.")
final class SimulatorCommand implements Callable<Integer> {
  @Option(
      names = "--port",
      description = "port, 0 for a free one (default: ${DEFAULT-VALUE})",
      defaultValue = "0")
  private int port;

  @Option(
      names = "--demo",
      description = "the demo profile: suspended and rate-limited keys, 503s, latency")
  private boolean demo;

  @Option(
      names = "--profile",
      description =
          "a profile file (JSON): keys, projects and quotas, faults, latency; see samples/simulator-profile.json")
  private java.nio.file.Path profile;

  @Option(
      names = "--log",
      description = "append every request to this JSON Lines file (keys masked)")
  private java.nio.file.Path log;

  @Override
  public Integer call() throws InterruptedException {
    if (demo && profile != null) {
      System.err.println("gkr simulator: use --demo or --profile, not both");
      return GkrCommand.BAD_INPUT;
    }
    Simulator.Builder b;
    try {
      b =
          profile != null
              ? Simulator.fromProfile(profile)
              : demo
                  ? Simulator.demo()
                  : Simulator.builder()
                      .latency(java.time.Duration.ofMillis(200), java.time.Duration.ofMillis(100));
    } catch (IllegalArgumentException e) {
      System.err.println("gkr simulator: " + e.getMessage());
      return GkrCommand.BAD_INPUT;
    }
    if (log != null) b.logFile(log);
    Simulator sim = b.port(port).keepLog(false).start();
    // Ctrl-C or SIGTERM is how this server is meant to stop: one line, the server closed (its log
    // flushed), exit 0. A signal the handlers do not cover (SIGHUP) still closes it, in a hook.
    CountDownLatch stopped = new CountDownLatch(1);
    AtomicBoolean closed = new AtomicBoolean();
    Runnable close =
        () -> {
          if (closed.compareAndSet(false, true)) sim.close();
        };
    Interrupts signals = Interrupts.onEach(stopped::countDown);
    Runtime.getRuntime().addShutdownHook(new Thread(close));
    System.out.println("gkr simulator listening on " + sim.baseUrl());
    System.out.flush();
    try {
      stopped.await();
    } finally {
      signals.uninstall();
      close.run();
    }
    System.err.println("gkr: simulator stopped");
    return 0;
  }
}
