package dev.gkr;

import java.util.List;

/**
 * An endpoint that enforces quotas the way Gemini does, for {@link Rotator#replayPlan}: the library
 * runs the batch against it in compressed time and counts what it refused. The Gemini simulator is
 * one ({@code dev.gkr.sim.SimulatorReplay::start}); the library itself depends on no simulator.
 */
public interface ReplayServer extends AutoCloseable {

  /**
   * One project of the replay: its keys, which share its quota, and the quota with its window
   * already compressed (absent when none was declared).
   */
  record Project(String name, List<String> keys, java.util.Optional<Limits> limits) {
    public Project {
      keys = List.copyOf(keys);
    }
  }

  /**
   * Starts a server for these projects; any other key is accepted without a quota (the replay warms
   * up on one).
   */
  @FunctionalInterface
  interface Factory {
    ReplayServer start(List<Project> projects);
  }

  /** Where the SDK reaches the server. */
  String baseUrl();

  /** How many requests the server refused with a 429 so far. */
  long refused();

  @Override
  void close();
}
