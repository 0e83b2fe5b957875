package dev.gkr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gkr.sim.Simulator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

/**
 * {@code --max-cost} holds in Batch Mode too: a job is submitted only with tasks whose worst case
 * (input plus maxOutputTokens of output, at the batch rate) fits under the cap with what is spent
 * and what running jobs may still cost. Before, Batch Mode never looked at the cap.
 */
class BatchBudgetTest {
  @TempDir Path dir;

  /**
   * Room for two worst cases (about $0.000126 each: 100 output tokens at the batch rate of $1.25 a
   * million, plus the prompt), while the 40 answers cost about $0.0005 (about 10 tokens each).
   */
  private static final double CAP = 0.0003;

  /**
   * A task's worst case at the batch rate: 100 output tokens at $1.25 a million, 5 input tokens.
   */
  private static final double BATCH_WORST = 0.000125 + 5 * 0.15e-6;

  @Test
  void batchModeStopsAtMaxCostAndARerunSendsTheRest() {
    List<String> prompts = prompts(40);
    FakeClock clock = new FakeClock();
    Path cp = dir.resolve("budget.checkpoint.jsonl");
    try (Simulator sim = sim(clock)) {
      Rotator capped = rotator(sim, clock, cp).cost(Cost.builder().maxCost(CAP).build());
      Table first = capped.run(prompts);
      assertEquals(RunState.BUDGET_REACHED, capped.stats().state());
      int done = first.booleanColumn("success").countTrue();
      long cancelled =
          first.stringColumn("error_type").asList().stream().filter("cancelled"::equals).count();
      assertTrue(done >= 2, "the first job's tasks fit: " + done);
      assertEquals(prompts.size(), done + cancelled, "each task done or cancelled, none failed");
      assertTrue(cancelled > 0, "the cap stopped the run before the last tasks");
      double spent = first.doubleColumn("cost_usd").sum();
      assertTrue(spent > 0 && spent <= CAP, "spent " + spent + " within the cap " + CAP);
      assertEquals(spent, capped.stats().costUsd(), 1e-9);

      Rotator rerun = rotator(sim, clock, cp);
      Table second = rerun.run(prompts);
      assertEquals(RunState.COMPLETED, rerun.stats().state());
      assertEquals(prompts.size(), second.booleanColumn("success").countTrue());
      assertEquals(
          done, rerun.stats().restored(), "the first run's answers come from the checkpoint");
      List<String> submitted =
          sim.batches().stream().flatMap(b -> b.requestKeys().stream()).sorted().toList();
      assertEquals(
          IntStream.rangeClosed(1, prompts.size()).mapToObj(Integer::toString).sorted().toList(),
          submitted,
          "each task was submitted once over both runs: cancelled ones were never sent");
    }
  }

  @Test
  void inAutoModeTheBatchPartsReservationsMakeTheSyncPartWaitNotGiveUp() {
    // Both parts share one cap, and the sync part's worst case is two batch ones. Whichever part
    // reserves first, the batch job leaves the sync part too little room (0.1 of a batch worst
    // case, once the sync part's first answer is billed) with nothing of its own in flight. It
    // cancelled all its tasks then ("$0.0000 spent"), though the cap covers every answer 2.5 times.
    List<String> prompts = prompts(40);
    FakeClock clock = new FakeClock();
    try (Simulator sim = sim(clock)) {
      Rotator auto =
          rotator(sim, clock, dir.resolve("auto.checkpoint.jsonl"))
              .batchMode(batch().mode(Mode.AUTO).deadline("1m").build())
              .limits(Limits.rpm(10))
              .cost(Cost.builder().maxCost(12.1 * BATCH_WORST).build());
      Table t = auto.run(prompts);
      assertEquals(RunState.COMPLETED, auto.stats().state(), t.print());
      assertEquals(prompts.size(), t.booleanColumn("success").countTrue());
      assertTrue(t.stringColumn("service_tier").asList().contains("standard"), "a sync part ran");
      assertTrue(t.stringColumn("service_tier").asList().contains("batch"), "a batch part ran");
    }
  }

  @Test
  void aJobCancelledFromOutsideGivesItsReservationBack() {
    // Its tasks end cancelled; the room they held must go to the other tasks' jobs (it leaked, and
    // the rest ended budget_reached with nothing spent).
    List<String> prompts = prompts(8);
    List<Integer> cancelled = new CopyOnWriteArrayList<>();
    FakeClock clock = new FakeClock();
    try (Simulator sim = sim(clock)) {
      Rotator r =
          rotator(sim, clock, dir.resolve("cancel.checkpoint.jsonl"))
              .batchMode(batch().jobs(1).build())
              .cost(
                  Cost.builder()
                      .maxCost(4.5 * 0.000126)
                      .build()) // four tasks' worst cases: two jobs, one after the other
              .onEvent(
                  e -> {
                    if (e instanceof RotatorEvent.JobUpdated j
                        && j.state().equals("PENDING")
                        && cancelled.isEmpty()) cancelled.add(cancel(sim, j.job()));
                  });
      Table t = r.run(prompts);
      assertEquals(List.of(200), cancelled, "the first job was cancelled through the API");
      assertEquals(
          4,
          t.stringColumn("error_type").asList().stream().filter("cancelled"::equals).count(),
          "the cancelled job's four tasks: " + t.print());
      assertEquals(4, t.booleanColumn("success").countTrue(), "the other four went into new jobs");
    }
  }

  @Test
  void aReattachedJobCountsAgainstTheCapBeforeNewJobsAreSubmitted() {
    // Its answers will be billed whatever the cap: new jobs must fit beside its worst cases. They
    // did not count, so the rerun submitted a second job at once, over the cap together.
    List<String> prompts = prompts(8);
    FakeClock clock = new FakeClock();
    Path cp = dir.resolve("reattach.checkpoint.jsonl");
    try (Simulator sim = sim(clock)) {
      double cap = 4.5 * BATCH_WORST; // one job of four at a time
      Rotator first =
          rotator(sim, clock, cp)
              .batchMode(batch().jobs(1).build())
              .cost(Cost.builder().maxCost(cap).build())
              .onEvent(
                  e -> {
                    if (e instanceof RotatorEvent.JobUpdated j && j.state().equals("PENDING"))
                      Thread.currentThread().interrupt(); // Ctrl-C: the job keeps running
                  });
      first.run(prompts);
      Thread.interrupted();
      assertEquals(1, sim.batches().size());
      assertEquals(4, sim.batches().get(0).requestKeys().size());

      List<String> order = new CopyOnWriteArrayList<>();
      Rotator rerun =
          rotator(sim, clock, cp)
              .batchMode(
                  batch()
                      .jobs(2)
                      .build()) // room for two jobs at a time: only the cap holds the second back
              .cost(Cost.builder().maxCost(cap).build())
              .onEvent(
                  e -> {
                    if (e instanceof RotatorEvent.JobUpdated j)
                      order.add(j.job() + " " + j.state());
                  });
      Table t = rerun.run(prompts);
      assertEquals(8, t.booleanColumn("success").countTrue(), t.print());
      String reattached = sim.batches().get(0).name();
      int collected = order.indexOf(reattached + " SUCCEEDED");
      int secondSubmitted = order.indexOf(sim.batches().get(1).name() + " PENDING");
      assertTrue(
          collected >= 0 && collected < secondSubmitted,
          "the second job waited for the re-attached one: " + order);
    }
  }

  /** Cancels a job as its owner would, from outside gkr: {@code POST batches/{id}:cancel}. */
  private static int cancel(Simulator sim, String job) {
    try {
      return HttpClient.newHttpClient()
          .send(
              HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/v1beta/" + job + ":cancel"))
                  .header("x-goog-api-key", "budget-key-0001")
                  .POST(HttpRequest.BodyPublishers.noBody())
                  .build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static List<String> prompts(int n) {
    return IntStream.rangeClosed(1, n).mapToObj(i -> "budgeted question " + i).toList();
  }

  /** Jobs pending 10 s, then running 30 s, on the test's fake clock. */
  private static Simulator sim(FakeClock clock) {
    return Simulator.builder()
        .clock(clock::nanoTime)
        .batchTiming(Duration.ofSeconds(10), Duration.ofSeconds(30))
        .start();
  }

  private static Rotator rotator(Simulator sim, FakeClock clock, Path cp) {
    return Rotator.keys("budget-key-0001")
        .baseUrl(sim.baseUrl())
        .clock(clock)
        // the simulated 2.5 model would think away all 100 tokens
        .generation(Generation.builder().maxOutputTokens(100).thinkingBudget(0).build())
        .checkpoint(cp)
        .batchMode(batch().build());
  }

  /** Batch Mode polled every 5 s at first, at most every minute. */
  private static BatchMode.Builder batch() {
    return BatchMode.builder()
        .mode(Mode.BATCH)
        .polling(Duration.ofSeconds(5), Duration.ofMinutes(1));
  }
}
