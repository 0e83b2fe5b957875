package dev.gkr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gkr.sim.SimRequest;
import dev.gkr.sim.Simulator;
import dev.gkr.sim.SimulatorReplay;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A plan replay runs the batch as configured, only in compressed time, and writes nothing (issue
 * 15).
 */
class PlanReplayTest {
  @TempDir Path dir;

  /** A replay server that is the simulator, kept so the test can read what reached the wire. */
  private static ReplayServer.Factory keeping(AtomicReference<Simulator> seen) {
    return projects -> {
      Simulator sim = Simulator.builder().keepLog(true).start();
      seen.set(sim);
      return new ReplayServer() {
        public String baseUrl() {
          return sim.baseUrl();
        }

        public long refused() {
          return sim.requests().stream().filter(r -> r.status() == 429).count();
        }

        public void close() {
          sim.close();
        }
      };
    };
  }

  @Test
  void theReplaySendsTheRequestAsConfiguredAndWritesNothing_issue15() throws Exception {
    AtomicReference<Simulator> seen = new AtomicReference<>();
    Path checkpoint = dir.resolve("real.checkpoint.jsonl");
    Rotator r =
        Rotator.keys("replay-key-0001", "replay-key-0002")
            .model("gemini-2.5-pro")
            .every("600ms")
            .systemInstruction("Be brief.")
            .json()
            .generation(Generation.builder().maxOutputTokens(4000).build())
            .checkpoint(checkpoint)
            .onEvent(ErrorLog.to(dir.resolve("real.errors.log")));
    List<String> tasks = new ArrayList<>();
    for (int i = 0; i < 6; i++) tasks.add("replayed question " + i);
    PlanReplay replay = r.plan(tasks).replay(60, keeping(seen));

    List<SimRequest> batch =
        seen.get().requests().stream()
            .filter(q -> q.prompt().startsWith("replayed question"))
            .toList();
    assertEquals(6, batch.size(), "every task once");
    for (SimRequest q : batch) {
      // Before, the replay's copy of the settings dropped the model, JSON mode and the rest of the
      // request.
      assertEquals("gemini-2.5-pro", q.model());
      assertEquals("Be brief.", q.system());
      assertEquals("application/json", q.generationConfig().path("responseMimeType").asText());
      assertEquals(4000, q.generationConfig().path("maxOutputTokens").asInt());
    }
    assertEquals(6, replay.finishedFirstDay());
    assertTrue(
        !Files.exists(checkpoint) && !Files.exists(dir.resolve("real.errors.log")),
        "a replay writes no file of the real run");
  }

  @Test
  void theSimulatorGivesEachProjectItsDeclaredQuota_issue15() {
    Rotator r =
        Rotator.keys("quota-key-0001", "quota-key-0002")
            .project("p1", "quota-key-0001", "quota-key-0002")
            .limits(Limits.rpm(30));
    PlanReplay replay = r.plan(List.of("a", "b", "c", "d")).replay(60, SimulatorReplay::start);
    assertEquals(
        0,
        replay.refused(),
        "pacing at 95 % of the declared rate is refused nothing by the same quota");
    // 4 tasks at 30 rpm * 0.95 over one project: 3 gaps of 2.1 s at least, scaled back from
    // compressed time.
    assertTrue(
        replay.replayedWallTime().compareTo(Duration.ofMillis(3 * 2000)) >= 0, replay.print());
  }
}
