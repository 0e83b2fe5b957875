package dev.gkr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gkr.sim.Fault;
import dev.gkr.sim.SimRequest;
import dev.gkr.sim.Simulator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

/**
 * Network and server faults end to end through the real SDK: the run finishes, loses nothing,
 * answers once.
 */
class FaultsTest {
  @TempDir Path dir;

  @Test
  void eachWireFaultIsTransientAndRetriedToSuccess() {
    FakeClock clock = new FakeClock();
    try (Simulator sim = Simulator.builder().start()) {
      List<String> prompts =
          List.of(
              "reset [[sim:resetx1]]",
              "midway [[sim:reset-midwayx1]]",
              "truncated [[sim:truncatedx1]]",
              "proxy [[sim:html502x1]]",
              "overloaded [[sim:503x2]]");
      Table t =
          Rotator.keys("fault-key-1")
              .baseUrl(sim.baseUrl())
              .retries(Retries.builder().maxRetries(0).build())
              .clock(clock)
              .run(prompts);
      for (int i = 0; i < prompts.size(); i++) {
        assertTrue(
            t.booleanColumn("success").get(i),
            prompts.get(i) + ": " + t.stringColumn("error").get(i));
        assertEquals(
            Simulator.answerFor(prompts.get(i), "", null), t.stringColumn("response").get(i));
      }
      Table tl = t; // attempts: one failure then success, two for the 503 storm
      assertEquals(List.of(2, 2, 2, 2, 3), tl.intColumn("attempts").asList());
    }
  }

  @Test
  void wireFaultsAreClassifiedAsTheirKind() {
    try (Simulator sim = Simulator.builder().start()) {
      Rotator r = Rotator.keys("fault-key-1").baseUrl(sim.baseUrl());
      assertEquals(ErrorType.CONNECTION, ((Outcome.Failure) r.generate("x [[sim:reset]]")).type());
      assertEquals(
          ErrorType.CONNECTION, ((Outcome.Failure) r.generate("x [[sim:reset-midway]]")).type());
      assertEquals(
          ErrorType.CONNECTION, ((Outcome.Failure) r.generate("x [[sim:truncated]]")).type());
      Outcome.Failure html = (Outcome.Failure) r.generate("x [[sim:html502]]");
      assertEquals(ErrorType.SERVER_ERROR, html.type());
      assertEquals(502, html.httpCode());
    }
  }

  @Test
  void stormOf503sAndResetsStillEndsWithEveryTaskOnce() {
    try (Simulator sim =
        Simulator.builder()
            .faultRate(Fault.UNAVAILABLE, 0.3)
            .faultRate(Fault.CONNECTION_RESET, 0.1)
            .faultRate(Fault.TRUNCATED_BODY, 0.05)
            .latency(Duration.ofMillis(2), Duration.ofMillis(1))
            .start()) {
      List<String> prompts = IntStream.range(0, 200).mapToObj(i -> "storm " + i).toList();
      Table t =
          Rotator.keys("storm-1", "storm-2", "storm-3")
              .slots(3)
              .baseUrl(sim.baseUrl())
              .retries(Retries.builder().transientRetries(12).build())
              .run(prompts);
      assertEquals(
          200,
          t.booleanColumn("success").countTrue(),
          t.where(t.booleanColumn("success").isFalse()).print());
      Map<String, Long> ok =
          sim.requests().stream()
              .filter(q -> q.outcome().equals("ok"))
              .collect(Collectors.groupingBy(SimRequest::prompt, Collectors.counting()));
      assertEquals(200, ok.size());
      assertTrue(ok.values().stream().allMatch(n -> n == 1), "a prompt was answered twice");
    }
  }

  @Test
  void serverThatStopsForAWhileAndComesBackLosesNothing() throws Exception {
    Simulator first = Simulator.builder().latency(Duration.ofMillis(20), Duration.ZERO).start();
    int port = first.port();
    CountDownLatch someDone = new CountDownLatch(10);
    AtomicReference<Simulator> second = new AtomicReference<>();
    Rotator r =
        Rotator.keys("outage-1", "outage-2")
            .slots(2)
            .baseUrl(first.baseUrl())
            .retries(Retries.builder().transientRetries(8).build())
            .onEvent(
                e -> {
                  if (e instanceof RotatorEvent.TaskDone) someDone.countDown();
                });
    Thread outage =
        Thread.ofPlatform()
            .start(
                () -> {
                  try {
                    someDone.await();
                    first.close();
                    Thread.sleep(
                        1_500); // the outage: requests meet refused connections and back off
                    second.set(
                        Simulator.builder()
                            .port(port)
                            .latency(Duration.ofMillis(20), Duration.ZERO)
                            .start());
                  } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                  }
                });
    try {
      List<String> prompts = IntStream.range(0, 120).mapToObj(i -> "outage " + i).toList();
      Table t = r.run(prompts);
      outage.join();
      assertEquals(
          120,
          t.booleanColumn("success").countTrue(),
          t.where(t.booleanColumn("success").isFalse()).print());
      for (int i = 0; i < prompts.size(); i++)
        assertEquals(
            Simulator.answerFor(prompts.get(i), "", null), t.stringColumn("response").get(i));
      assertTrue(
          r.stats().timeline().stringColumn("outcome").isEqualTo("connection").size() > 0,
          "the outage was not felt");
      long okFirst = first.requests().stream().filter(q -> q.outcome().equals("ok")).count();
      long okSecond =
          second.get().requests().stream().filter(q -> q.outcome().equals("ok")).count();
      assertTrue(
          okFirst + okSecond <= 120 + 4,
          "answered twice beyond the 4 that may have been in flight at the cut");
    } finally {
      if (second.get() != null) second.get().close();
    }
  }

  @Test
  void tenKillNineAndResumeCyclesEndWithEveryTaskExactlyOnce() throws Exception {
    Path cp = dir.resolve("cycles.jsonl");
    // Slack: each cycle waits for 15 results and then kills, so 10 cycles need 150 tasks; the
    // other 850 leave each child about 85 tasks (about 0.6 s at 30 ms a request on 4 slots) of
    // progress between the 15th result and its kill before the batch could end early.
    int n = 1000;
    try (Simulator sim =
        Simulator.builder().latency(Duration.ofMillis(30), Duration.ofMillis(10)).start()) {
      for (int cycle = 0; cycle < 10; cycle++) {
        long before = Files2.completeLines(cp);
        Path log = dir.resolve("child-" + cycle + ".log");
        Process child = ChildRun.spawn(sim.baseUrl(), cp, n, log);
        int c = cycle;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        // Each child must be alive and have added results of its own before it is killed: a child
        // that dies at startup, or one that runs but writes nothing, fails the cycle instead of
        // passing it quietly.
        while (Files2.completeLines(cp) < before + 15) {
          assertTrue(
              child.isAlive(),
              () ->
                  "cycle "
                      + c
                      + ": the child ended before it was killed (exit "
                      + child.exitValue()
                      + "): "
                      + Files2.text(log));
          assertTrue(
              System.nanoTime() < deadline,
              () -> "cycle " + c + " made no progress in 60 s: " + Files2.text(log));
          Thread.sleep(10); // polling another process's file: there is no latch across JVMs
        }
        child.destroyForcibly(); // SIGKILL
        assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        assertEquals(
            128 + 9,
            child.exitValue(),
            "cycle " + cycle + ": the child was not running when killed");
        assertTrue(Files2.completeLines(cp) >= before + 15, "cycle " + cycle + " added no results");
      }
      assertTrue(
          Files2.completeLines(cp) < n,
          "the batch finished before the tenth kill; nothing left to prove");
      Table t =
          Rotator.keys("child-key-1", "child-key-2")
              .slots(4)
              .baseUrl(sim.baseUrl())
              .checkpoint(cp)
              .run(IntStream.rangeClosed(1, n).mapToObj(i -> "resumable question " + i).toList());
      assertEquals(n, t.booleanColumn("success").countTrue());
      assertEquals(n, new HashSet<>(t.stringColumn("id").asList()).size());
      for (int i = 0; i < n; i++)
        assertEquals(
            Simulator.answerFor("resumable question " + (i + 1), "", null),
            t.stringColumn("response").get(i));
      Map<String, Long> perPrompt =
          sim.requests().stream()
              .collect(Collectors.groupingBy(SimRequest::prompt, Collectors.counting()));
      long twice = perPrompt.values().stream().filter(c -> c > 1).mapToLong(c -> c - 1).sum();
      assertTrue(
          twice <= 10 * 8,
          twice + " repeats; at most the 8 in flight at each of 10 kills may repeat");
    }
  }
}
