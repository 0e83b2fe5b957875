package dev.gkr.cli;

import dev.gkr.sim.Simulator;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code gkr simulator}: the Gemini simulator as a standalone server, until Ctrl-C. */
@Command(name = "simulator", mixinStandardHelpOptions = true,
    description = "Start the offline Gemini simulator on 127.0.0.1 and serve until stopped.")
final class SimulatorCommand implements Callable<Integer> {
  @Option(names = "--port", description = "port, 0 for a free one (default: ${DEFAULT-VALUE})", defaultValue = "0")
  int port;

  @Option(names = "--demo", description = "the demo profile: suspended and rate-limited keys, 503s, latency")
  boolean demo;

  @Override
  public Integer call() throws InterruptedException {
    Simulator sim = (demo ? Simulator.demo() : Simulator.builder()).port(port).keepLog(false).start();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      sim.close();
      stopped.countDown();
    }));
    System.out.println("gkr simulator listening on " + sim.baseUrl());
    System.out.flush();
    stopped.await();
    return 0;
  }
}
