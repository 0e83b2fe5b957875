package dev.gkr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gkr.sim.Simulator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

/**
 * A run that cannot reach Gemini at all (a closed port, a host name that does not resolve) stops
 * early with the cause named, instead of retrying for maxWait with only "Failed to execute HTTP
 * request" to show. Real HTTP through the SDK; the fake clock makes the half hour of maxWait free,
 * and proves the run did not spend it.
 */
class NetworkUnreachableTest {
  private static List<String> prompts(int n) {
    List<String> p = new ArrayList<>();
    for (int i = 0; i < n; i++) p.add("net " + i);
    return p;
  }

  private record Ended(Table results, RunStats stats, List<String> notices, Duration took) {}

  private static Ended run(String baseUrl) {
    FakeClock clock = new FakeClock();
    ConcurrentLinkedQueue<String> notices = new ConcurrentLinkedQueue<>();
    Rotator r =
        Rotator.keys("net-key-0001", "net-key-0002", "net-key-0003")
            .slots(2)
            .baseUrl(baseUrl)
            .retries(Retries.builder().maxWait(Duration.ofMinutes(30)).build())
            .clock(clock)
            .onEvent(
                e -> {
                  if (e instanceof RotatorEvent.Notice n) notices.add(n.message());
                });
    long start = clock.nanoTime();
    Table t = r.run(prompts(40));
    return new Ended(
        t, r.stats(), List.copyOf(notices), Duration.ofNanos(clock.nanoTime() - start));
  }

  @Test
  void aClosedPortStopsTheRunNamingConnectionRefused_issue25() {
    int port;
    try (Simulator closed = Simulator.builder().start()) {
      port = closed.port();
    }
    Ended e = run("http://127.0.0.1:" + port);
    assertEquals(RunState.UNREACHABLE, e.stats().state(), e.notices().toString());
    assertTrue(e.took().compareTo(Duration.ofMinutes(1)) < 0, "stopped after " + e.took());
    assertEquals(0, e.results().booleanColumn("success").countTrue());
    assertTrue(
        e.results().stringColumn("error_type").asList().stream().allMatch("connection"::equals),
        e.results().print());
    String notice =
        e.notices().stream()
            .filter(n -> n.startsWith("Gemini cannot be reached"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no notice: " + e.notices()));
    assertTrue(notice.contains("connection refused"), notice);
    assertTrue(notice.contains("127.0.0.1:" + port), notice);
    assertTrue(notice.contains("base URL"), notice);
    assertTrue(
        e.results().stringColumn("error").get(0).contains("connection refused"),
        e.results().stringColumn("error").get(0));
  }

  @Test
  void aHostThatDoesNotResolveStopsTheRunNamingTheDnsFailure_issue25() {
    Ended e = run("https://gkr-no-such-host.invalid");
    assertEquals(RunState.UNREACHABLE, e.stats().state(), e.notices().toString());
    assertTrue(
        e.took().compareTo(Duration.ofMinutes(1)) < 0,
        "stopped after " + e.took() + e.notices() + e.results().print());
    String notice =
        e.notices().stream()
            .filter(n -> n.startsWith("Gemini cannot be reached"))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no notice: " + e.notices()));
    assertTrue(notice.contains("unknown host (DNS lookup failed)"), notice);
    assertTrue(notice.contains("gkr-no-such-host.invalid"), notice);
  }

  @Test
  void aRefusedConnectionIsNamedInTheFailure_issue25() {
    int port;
    try (Simulator closed = Simulator.builder().start()) {
      port = closed.port();
    }
    Outcome.Failure f =
        (Outcome.Failure) Rotator.keys("k").baseUrl("http://127.0.0.1:" + port).generate("hi");
    assertEquals(ErrorType.CONNECTION, f.type());
    assertEquals(java.util.Optional.of(NetworkCause.CONNECTION_REFUSED), f.network());
    assertTrue(f.message().startsWith("connection refused: "), f.message());
    assertTrue(!f.message().contains("GenAiIOException"), f.message());
  }

  @Test
  void aResetIsNamedButTheRunGoesOn_issue25() {
    try (Simulator sim = Simulator.builder().start()) {
      Outcome.Failure f =
          (Outcome.Failure) Rotator.keys("k").baseUrl(sim.baseUrl()).generate("x [[sim:reset]]");
      assertEquals(ErrorType.CONNECTION, f.type());
      assertTrue(f.network().isPresent(), f.toString());
      assertTrue(!f.network().get().noConnection(), f.toString());
    }
  }
}
