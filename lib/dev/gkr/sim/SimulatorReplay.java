package dev.gkr.sim;

import dev.gkr.ReplayServer;
import java.util.List;

/**
 * The simulator as the quota-enforcing server of a plan replay: {@code rotator.replayPlan(tasks,
 * 60, SimulatorReplay::start)}. Each project gets its declared limits as its quota; every other key
 * (the replay's warm-up) is served without one.
 */
public final class SimulatorReplay implements ReplayServer {
  private final Simulator server;

  private SimulatorReplay(Simulator server) {
    this.server = server;
  }

  public static SimulatorReplay start(List<ReplayServer.Project> projects) {
    Simulator.Builder sim = Simulator.builder().keepLog(true);
    for (ReplayServer.Project p : projects) {
      p.limits()
          .ifPresent(
              l ->
                  sim.project(
                      p.name(),
                      new Quota(l.requests(), l.window(), l.requestsPerDay(), l.tokensPerWindow()),
                      p.keys().toArray(String[]::new)));
    }
    return new SimulatorReplay(sim.start());
  }

  @Override
  public String baseUrl() {
    return server.baseUrl();
  }

  @Override
  public long refused() {
    return server.requests().stream().filter(r -> r.status() == 429).count();
  }

  @Override
  public void close() {
    server.close();
  }
}
