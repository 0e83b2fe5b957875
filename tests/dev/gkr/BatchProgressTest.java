package dev.gkr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gkr.internal.batchmode.BatchCollector;
import dev.gkr.internal.common.Clock;
import dev.gkr.internal.task.RetryPolicy;
import dev.gkr.sim.SimBatch;
import dev.gkr.sim.Simulator;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Condition;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

/**
 * What a user waiting on batch jobs sees (issue 19 follow-up): the status line counts jobs and the
 * tasks in them instead of a request rate and an ETA that mean nothing for unpaced jobs, and the
 * per-key table counts each key's job requests and their outcomes instead of staying at 0. In
 * virtual time, against the simulator's Batch API.
 */
class BatchProgressTest {
  private static final String KEY_A = "alpha-test-key-0001";
  private static final String KEY_B = "bravo-test-key-0002";

  /**
   * A fake clock that takes a snapshot of the run's stats each time the run waits (the batch
   * thread's poll sleeps, the only waits of a run with no synchronous part).
   */
  private static final class Snapshots implements Clock {
    final FakeClock clock = new FakeClock();
    final AtomicReference<Rotator> rotator = new AtomicReference<>();
    final List<RunStats> seen = new CopyOnWriteArrayList<>();

    @Override
    public long nanoTime() {
      return clock.nanoTime();
    }

    @Override
    public Instant instant() {
      return clock.instant();
    }

    @Override
    public void awaitUntil(Condition condition, long deadlineNanos) throws InterruptedException {
      Rotator r = rotator.get();
      if (r != null) seen.add(r.stats());
      clock.awaitUntil(condition, deadlineNanos);
    }
  }

  private static Rotator rotator(Simulator sim, Snapshots clock) {
    Rotator r =
        Rotator.keys(KEY_A, KEY_B)
            .baseUrl(sim.baseUrl())
            .clock(clock)
            .batchMode(
                BatchMode.builder()
                    .mode(Mode.BATCH)
                    .polling(Duration.ofSeconds(5), Duration.ofMinutes(5))
                    .build());
    clock.rotator.set(r);
    return r;
  }

  /** Jobs pending, then running, for the given times on the test's clock. */
  private static Simulator sim(Clock clock, Duration pending, Duration running) {
    return Simulator.builder().clock(clock::nanoTime).batchTiming(pending, running).start();
  }

  private static List<String> prompts(int n) {
    return IntStream.rangeClosed(1, n).mapToObj(i -> "progress question " + i).toList();
  }

  @Test
  void statusLineShowsJobsAndTasksInJobsWithoutARateOrEta() {
    Snapshots clock = new Snapshots();
    try (Simulator sim = sim(clock, Duration.ofMinutes(20), Duration.ofHours(2))) {
      Rotator r = rotator(sim, clock);
      r.run(prompts(12));
      assertFalse(clock.seen.isEmpty(), "the run waited on its jobs");
      RunStats first = clock.seen.get(0);
      assertEquals(new JobStats(2, 0, 0, 12, 0), first.jobs(), "one job per project, submitted");
      assertTrue(
          first
              .statusLine()
              .startsWith(
                  "jobs 2 pending 0 running 0 collected | in jobs 12 | queued 0 | done 0 | failed 0 | keys 2 ok 0 retired"),
          first.statusLine());
      assertTrue(
          clock.seen.stream()
              .anyMatch(s -> s.jobs().running() == 2 && s.statusLine().contains("2 running")),
          "the jobs were seen running");
      for (RunStats s : clock.seen) {
        assertFalse(s.statusLine().contains("req/s"), s.statusLine());
        assertFalse(s.statusLine().contains("ETA"), s.statusLine());
        assertTrue(s.eta().isEmpty(), "no ETA for jobs: " + s.statusLine());
        assertEquals(0, s.requestsPerSecond(), "no request rate for jobs");
        assertEquals(
            12,
            s.jobs().inJobs() + s.jobs().queued() + s.done(),
            "every task is in a job, queued or done: " + s.statusLine());
      }
      RunStats end = r.stats();
      assertEquals(new JobStats(0, 0, 2, 0, 0), end.jobs());
      assertTrue(end.statusLine().contains("done 12 | failed 0"), end.statusLine());
      String summary = end.print();
      assertTrue(summary.contains("12 requests (0 rate-limited)"), summary);
      assertTrue(summary.contains("| 2 batch jobs"), summary);
      assertFalse(summary.contains("req/s"), summary);
    }
  }

  @Test
  void keyTableCountsEachKeysJobRequestsAndTheirOutcomes() {
    Snapshots clock = new Snapshots();
    try (Simulator sim = sim(clock, Duration.ofSeconds(10), Duration.ofSeconds(30))) {
      List<String> tasks =
          List.of(
              "fine one",
              "always bad [[sim:bad-request]]",
              "limited once [[sim:429x1]]",
              "fine two",
              "fine three",
              "fine four");
      Rotator r = rotator(sim, clock).retries(Retries.builder().maxRetries(0).build());
      Table t = r.run(tasks);
      RunStats s = r.stats();
      long requests = 0;
      for (String key : List.of(KEY_A, KEY_B)) {
        String tail = key.substring(key.length() - 4);
        KeyStats k =
            s.keys().stream().filter(x -> x.key().endsWith(tail)).findFirst().orElseThrow();
        long submitted =
            sim.batches().stream()
                .filter(b -> b.key().endsWith(tail))
                .mapToLong(b -> b.requestKeys().size())
                .sum();
        assertTrue(submitted > 0, "each project got a job");
        assertEquals(submitted, k.requests(), key + ": the requests in its jobs");
        long ok = 0, bad = 0;
        for (int i = 0; i < t.rowCount(); i++) {
          if (!t.stringColumn("key").get(i).endsWith(tail)) continue;
          if (t.booleanColumn("success").get(i)) ok++;
          else bad++;
        }
        assertEquals(ok, k.successes(), key + ": successes");
        assertEquals(bad, k.failures(), key + ": failures other than 429s");
        assertEquals(
            submitted, k.successes() + k.failures() + k.rateLimited(), key + ": each answer once");
        requests += k.requests();
      }
      assertEquals(1, s.rateLimited(), "the one 429 inside a job");
      assertEquals(1, s.keys().stream().mapToLong(KeyStats::rateLimited).sum(), s.print());
      assertEquals(requests, s.requests());
      assertEquals(
          sim.batches().stream().mapToLong(b -> b.requestKeys().size()).sum(), s.requests());
      double keyCost = s.keys().stream().mapToDouble(KeyStats::costUsd).sum();
      assertTrue(keyCost > 0, "the answers were billed to their keys");
      assertEquals(t.doubleColumn("cost_usd").sum(), keyCost, 1e-9);
    }
  }

  @Test
  void aKeyRefusedAtCreateShowsRetiredAndItsProjectsTasksGoToTheOtherKey() {
    Snapshots clock = new Snapshots();
    try (Simulator sim =
        Simulator.builder()
            .clock(clock::nanoTime)
            .batchTiming(Duration.ofSeconds(10), Duration.ofSeconds(30))
            .key(KEY_A, dev.gkr.sim.KeyBehavior.invalid())
            .start()) {
      Rotator r = rotator(sim, clock);
      Table t = r.run(prompts(4));
      assertEquals(4, t.booleanColumn("success").countTrue(), t.print());
      RunStats s = r.stats();
      KeyStats a = s.keys().get(0), b = s.keys().get(1);
      assertEquals(KeyStatus.RETIRED, a.state(), s.print());
      assertEquals(0, a.requests(), "its create call was refused: no job, no request");
      assertEquals(KeyStatus.ACTIVE, b.state());
      assertEquals(4, b.requests());
      assertEquals(4, b.successes());
      assertTrue(s.statusLine().contains("keys 1 ok 1 retired"), s.statusLine());
    }
  }

  @Test
  void a429InsideAJobGoesToALaterJobWithoutUsingARetry() {
    Snapshots clock = new Snapshots();
    try (Simulator sim = sim(clock, Duration.ofSeconds(10), Duration.ofSeconds(30))) {
      String twice = "limited twice [[sim:429x2]]";
      String always = "always limited [[sim:429]]";
      Table t =
          rotator(sim, clock)
              .retries(Retries.builder().maxRetries(0).build())
              .run(List.of(twice, always, "plain"));
      assertTrue(t.booleanColumn("success").get(0), "two 429s spent no retry: " + t.print());
      assertEquals(Simulator.answerFor(twice, "", null), t.stringColumn("response").get(0));
      assertEquals(3, t.intColumn("attempts").get(0), "sent in three jobs");
      assertEquals(3, jobsWith(sim, "1"));

      // bounded: MAX_RATE_LIMITED_REQUEUES free requeues, then a 429 counts as a transient error,
      // and the retry policy (the synchronous one) gives up on the sixth in a row
      int bound = BatchCollector.MAX_RATE_LIMITED_REQUEUES;
      assertEquals(10, bound, "the README states 10");
      int counted = RetryPolicy.REPEATED_ERROR_RETRIES + 1;
      assertFalse(t.booleanColumn("success").get(1));
      assertTrue(
          List.of("rate_limited", "token_limited", "throttled")
              .contains(t.stringColumn("error_type").get(1)),
          "ends with its 429: " + t.stringColumn("error_type").get(1));
      assertEquals(bound + counted, t.intColumn("attempts").get(1));
      assertEquals(bound + counted, jobsWith(sim, "2"), "the run stopped sending it");
      assertTrue(t.booleanColumn("success").get(2));
    }
  }

  @Test
  void autoKeepsTheSyncPartsRateAndEtaAndAddsTheJobs() {
    FakeClock clock = new FakeClock();
    try (Simulator sim = sim(clock, Duration.ofMinutes(20), Duration.ofHours(2))) {
      AtomicReference<Rotator> rotator = new AtomicReference<>();
      List<RunStats> atSyncAnswers = new CopyOnWriteArrayList<>();
      Rotator r =
          Rotator.keys(KEY_A)
              .baseUrl(sim.baseUrl())
              .clock(clock)
              .batchMode(
                  BatchMode.builder()
                      .mode(Mode.AUTO)
                      .deadline("1m")
                      .polling(Duration.ofSeconds(5), Duration.ofMinutes(5))
                      .build())
              .limits(Limits.rpm(10))
              .onEvent(
                  e -> {
                    if (e instanceof RotatorEvent.TaskDone d && d.slot() > 0)
                      atSyncAnswers.add(rotator.get().stats());
                  });
      rotator.set(r);
      r.run(prompts(30));
      int sync = sim.requests().size();
      long batched = sim.batches().stream().mapToLong(b -> b.requestKeys().size()).sum();
      assertTrue(sync > 1 && batched > 0, sync + " sync, " + batched + " batched");
      RunStats first = atSyncAnswers.get(0);
      assertTrue(first.eta().isPresent(), "sync tasks are left: " + first.statusLine());
      assertTrue(
          first
              .statusLine()
              .matches(
                  "active .* req/s \\| ETA \\S+ .*\\| jobs \\d+ pending \\d+ running \\d+ collected \\| in jobs \\d+"),
          first.statusLine());
      RunStats end = r.stats();
      assertEquals(sync + batched, end.requests());
      double seconds = end.elapsed().toNanos() / 1e9;
      assertEquals(
          sync / seconds, end.requestsPerSecond(), 1e-9, "the rate is the sync part's alone");
      assertTrue(
          end.print()
              .lines()
              .findFirst()
              .orElseThrow()
              .matches(".* req/s over \\d+ slots? \\| 1 batch job"),
          end.print());
    }
  }

  /** How many jobs carried the task with this key. */
  private static long jobsWith(Simulator sim, String taskKey) {
    return sim.batches().stream()
        .map(SimBatch::requestKeys)
        .filter(k -> k.contains(taskKey))
        .count();
  }
}
