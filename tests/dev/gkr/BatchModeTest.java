package dev.gkr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gkr.internal.batchmode.BatchJournal;
import dev.gkr.sim.BatchSchedule;
import dev.gkr.sim.SimBatch;
import dev.gkr.sim.Simulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

/** Batch Mode (issue 19) end to end against the simulator's Batch API, in virtual time. */
class BatchModeTest {
  @TempDir Path dir;

  private static List<String> prompts(int n) {
    return IntStream.rangeClosed(1, n).mapToObj(i -> "batch question " + i).toList();
  }

  private static Simulator.Builder sim(FakeClock clock) {
    return Simulator.builder()
        .clock(clock::nanoTime)
        .batchTiming(Duration.ofMinutes(20), Duration.ofHours(2));
  }

  private static Rotator rotator(Simulator sim, FakeClock clock, String... keys) {
    return Rotator.keys(keys).baseUrl(sim.baseUrl()).clock(clock).batchMode(batch().build());
  }

  /** Batch Mode polled every 5 s at first, at most every 5 minutes. */
  private static BatchMode.Builder batch() {
    return BatchMode.builder()
        .mode(Mode.BATCH)
        .polling(Duration.ofSeconds(5), Duration.ofMinutes(5));
  }

  /** Every request key the simulator was sent, over all jobs. */
  private static List<String> submittedKeys(Simulator sim) {
    List<String> keys = new ArrayList<>();
    for (SimBatch b : sim.batches()) keys.addAll(b.requestKeys());
    return keys;
  }

  @Test
  void batchRunGivesTheSameTableAsASyncRun() {
    FakeClock clock = new FakeClock();
    try (Simulator sim = sim(clock).start()) {
      List<RotatorEvent> events = new CopyOnWriteArrayList<>();
      Table batch =
          rotator(sim, clock, "bk-1")
              .checkpoint(dir.resolve("b.jsonl"))
              .onEvent(events::add)
              .run(prompts(12));
      Table sync = Rotator.keys("bk-1").baseUrl(sim.baseUrl()).run(prompts(12));
      assertEquals(sync.columnNames(), batch.columnNames());
      assertEquals(sync.stringColumn("response").asList(), batch.stringColumn("response").asList());
      assertEquals(1, sim.batches().size(), "one project, one job");
      assertFalse(sim.batches().get(0).fromFile());
      assertEquals(12, sim.requests().size(), "only the sync run sent generateContent requests");
      List<String> states =
          events.stream()
              .filter(e -> e instanceof RotatorEvent.JobUpdated)
              .map(e -> ((RotatorEvent.JobUpdated) e).state())
              .toList();
      assertEquals(List.of("PENDING", "RUNNING", "SUCCEEDED"), states);
      assertTrue(batch.booleanColumn("success").asList().stream().allMatch(b -> b));
      assertFalse(
          Files.exists(BatchJournal.besides(dir.resolve("b.jsonl")))
              && !readJobs(dir.resolve("b.jsonl")).isEmpty(),
          "a collected job stays in the journal");
    }
  }

  private static List<BatchJournal.Job> readJobs(Path cp) {
    return BatchJournal.load(BatchJournal.besides(cp)).jobs();
  }

  @Test
  void mixedPerRequestErrorsAreClassifiedAndTaskErrorsRetriedInALaterJobOnAnotherProject() {
    FakeClock clock = new FakeClock();
    try (Simulator sim = sim(clock).start()) {
      List<String> tasks =
          List.of(
              "fine one",
              "blocked [[sim:safety]]",
              "always bad [[sim:bad-request]]",
              "bad once [[sim:bad-requestx1]]",
              "fine two");
      Table t =
          rotator(sim, clock, "pa-1", "pb-1")
              .retries(Retries.builder().maxRetries(1).build())
              .run(tasks);
      assertEquals(Simulator.answerFor("fine one", "", null), t.stringColumn("response").get(0));
      assertEquals("prompt_blocked", t.stringColumn("error_type").get(1));
      assertEquals("bad_request", t.stringColumn("error_type").get(2));
      assertEquals(2, t.intColumn("attempts").get(2), "one retry, then failed");
      assertTrue(
          t.booleanColumn("success").get(3), "a task error that passes is retried in a later job");
      assertEquals(
          Simulator.answerFor("bad once [[sim:bad-requestx1]]", "", null),
          t.stringColumn("response").get(3));
      // the retry went to the other project's key
      List<SimBatch> jobs = sim.batches();
      String firstKey =
          jobs.stream().filter(b -> b.requestKeys().contains("4")).findFirst().orElseThrow().key();
      String retryKey =
          jobs.stream()
              .filter(b -> b.requestKeys().contains("4"))
              .reduce((a, b) -> b)
              .orElseThrow()
              .key();
      assertFalse(firstKey.equals(retryKey), "retried on the same project: " + jobs);
    }
  }

  @Test
  void failedAndExpiredJobsAreResubmittedForTheirUnfinishedTasks() {
    FakeClock clock = new FakeClock();
    try (Simulator sim =
        sim(clock).batchEnds(BatchSchedule.End.FAILED, BatchSchedule.End.EXPIRED).start()) {
      Table t =
          rotator(sim, clock, "fe-1")
              .retries(Retries.builder().maxRetries(3).build())
              .run(prompts(5));
      assertTrue(t.booleanColumn("success").asList().stream().allMatch(b -> b), t.print());
      assertEquals(
          List.of("BATCH_STATE_FAILED", "BATCH_STATE_EXPIRED", "BATCH_STATE_SUCCEEDED"),
          sim.batches().stream().map(SimBatch::state).toList());
      assertEquals(3, t.intColumn("attempts").get(0));
    }
  }

  @Test
  void largeJobsGoAsAnUploadedJsonlFileAndResultsComeFromTheResponsesFile() {
    FakeClock clock = new FakeClock();
    try (Simulator sim = sim(clock).start()) {
      Table t =
          rotator(sim, clock, "fl-1")
              .batchMode(batch().inlineBytes(100).build())
              .systemInstruction("Answer briefly.")
              .run(prompts(4));
      assertTrue(sim.batches().get(0).fromFile());
      assertEquals(1, sim.uploads().size());
      for (int i = 0; i < 4; i++)
        assertEquals(
            Simulator.answerFor(prompts(4).get(i), "Answer briefly.", null),
            t.stringColumn("response").get(i));
    }
  }

  @Test
  void ctrlCLeavesJobsRunningAndARerunReattachesInsteadOfSubmittingAgain() {
    FakeClock clock = new FakeClock();
    Path cp = dir.resolve("ra.checkpoint.jsonl");
    try (Simulator sim = sim(clock).start()) {
      List<RotatorEvent> events = new CopyOnWriteArrayList<>();
      Rotator stopped =
          rotator(sim, clock, "ra-1")
              .checkpoint(cp)
              .onEvent(
                  e -> {
                    events.add(e);
                    if (e instanceof RotatorEvent.JobUpdated j && j.state().equals("PENDING"))
                      Thread.currentThread().interrupt(); // Ctrl-C
                  });
      Table first = stopped.run(prompts(6));
      assertTrue(Thread.interrupted(), "the interrupt flag is set again");
      assertEquals(
          RunState.STOPPED, stopped.stats().state(), "stopped (exit 130), not completed (exit 0)");
      assertEquals("cancelled", first.stringColumn("error_type").get(0));
      assertEquals(1, readJobs(cp).size(), "the job is in the journal");
      assertTrue(
          events.stream()
              .anyMatch(
                  e ->
                      e instanceof RotatorEvent.Notice n
                          && n.message().contains("rerun the same command")));
      assertEquals(
          "BATCH_STATE_PENDING", sim.batches().get(0).state(), "Ctrl-C leaves the job running");

      List<RotatorEvent> again = new CopyOnWriteArrayList<>();
      Table second = rotator(sim, clock, "ra-1").checkpoint(cp).onEvent(again::add).run(prompts(6));
      assertTrue(second.booleanColumn("success").asList().stream().allMatch(b -> b));
      assertEquals(1, sim.batches().size(), "submitted twice");
      assertEquals(List.of("1", "2", "3", "4", "5", "6"), submittedKeys(sim));
      assertTrue(
          again.stream()
              .anyMatch(
                  e ->
                      e instanceof RotatorEvent.Notice n && n.message().startsWith("re-attached")));
      assertTrue(readJobs(cp).isEmpty());
    }
  }

  @Test
  void cancelJobsCancelsTheJournalsJobsAndSubmitsNothing() {
    FakeClock clock = new FakeClock();
    Path cp = dir.resolve("cj.checkpoint.jsonl");
    try (Simulator sim = sim(clock).start()) {
      rotator(sim, clock, "cj-1")
          .checkpoint(cp)
          .onEvent(
              e -> {
                if (e instanceof RotatorEvent.JobUpdated) Thread.currentThread().interrupt();
              })
          .run(prompts(3));
      Thread.interrupted();
      Table t =
          rotator(sim, clock, "cj-1")
              .checkpoint(cp)
              .batchMode(batch().cancelJobs(true).build())
              .run(prompts(3));
      assertEquals("BATCH_STATE_CANCELLED", sim.batches().get(0).state());
      assertEquals(1, sim.batches().size());
      assertTrue(readJobs(cp).isEmpty());
      assertEquals("cancelled", t.stringColumn("error_type").get(2));
    }
  }

  @Test
  void autoSendsWhatTheQuotaFinishesByTheDeadlineSynchronouslyAndTheRestAsBatchJobs() {
    FakeClock clock = new FakeClock();
    try (Simulator sim = sim(clock).start()) {
      List<RotatorEvent> events = new CopyOnWriteArrayList<>();
      Table t =
          rotator(sim, clock, "au-1")
              .batchMode(batch().mode(Mode.AUTO).deadline("1m").build())
              .limits(Limits.rpm(10))
              .onEvent(events::add)
              .run(prompts(30));
      assertTrue(t.booleanColumn("success").asList().stream().allMatch(b -> b), t.print());
      int sync = sim.requests().size();
      List<String> batched = submittedKeys(sim);
      assertTrue(
          sync > 0 && sync <= 10, "sync part " + sync + " is more than 10 rpm finish in a minute");
      assertEquals(30, sync + batched.size(), "a task went both ways, or none");
      assertTrue(
          sim.requests().stream()
              .noneMatch(r -> batched.contains(r.prompt().replace("batch question ", ""))),
          "a task went both ways");
      assertTrue(
          events.stream()
              .anyMatch(
                  e ->
                      e instanceof RotatorEvent.Notice n
                          && n.message()
                              .startsWith("mode auto: " + sync + " task(s) synchronously")));
      for (int i = 0; i < 30; i++)
        assertEquals(
            Simulator.answerFor(prompts(30).get(i), "", null), t.stringColumn("response").get(i));
    }
  }

  @Test
  void aTaskChangedSinceItsJobWasSubmittedIsSentAnewAndTheJobsOldAnswerIgnored() {
    FakeClock clock = new FakeClock();
    Path cp = dir.resolve("changed.checkpoint.jsonl");
    try (Simulator sim = sim(clock).start()) {
      rotator(sim, clock, "ch-1")
          .checkpoint(cp)
          .onEvent(
              e -> {
                if (e instanceof RotatorEvent.JobUpdated) Thread.currentThread().interrupt();
              })
          .run(prompts(4));
      Thread.interrupted();
      List<String> edited = new ArrayList<>(prompts(4));
      edited.set(2, "an edited question");
      Table t = rotator(sim, clock, "ch-1").checkpoint(cp).run(edited);
      assertEquals(
          Simulator.answerFor("an edited question", "", null), t.stringColumn("response").get(2));
      assertEquals(
          Simulator.answerFor("batch question 4", "", null), t.stringColumn("response").get(3));
      assertEquals(2, sim.batches().size());
      assertEquals(
          List.of("3"), sim.batches().get(1).requestKeys(), "only the edited task is sent again");
    }
  }

  @Test
  void aKeyThatCannotCreateJobsIsRetiredAndTheOtherProjectTakesTheTasks() {
    FakeClock clock = new FakeClock();
    try (Simulator sim =
        sim(clock).key("invalid-batch-key-01", dev.gkr.sim.KeyBehavior.invalid()).start()) {
      List<RotatorEvent> events = new CopyOnWriteArrayList<>();
      Table t =
          rotator(sim, clock, "invalid-batch-key-01", "valid-batch-key-002")
              .onEvent(events::add)
              .run(prompts(6));
      assertTrue(t.booleanColumn("success").asList().stream().allMatch(b -> b), t.print());
      assertTrue(
          events.stream()
              .anyMatch(
                  e ->
                      e instanceof RotatorEvent.KeyRetired r
                          && r.reason() == ErrorType.KEY_INVALID));
      assertTrue(sim.batches().stream().allMatch(b -> b.key().endsWith("-002")));
      assertEquals(6, submittedKeys(sim).size());
    }
  }

  @Test
  void withNoKeyLeftTheTasksEndAsNoUsableKeys() {
    FakeClock clock = new FakeClock();
    try (Simulator sim = sim(clock).unknownKeys(dev.gkr.sim.KeyBehavior.invalid()).start()) {
      Table t = rotator(sim, clock, "dead-batch-key-0001").run(prompts(2));
      assertEquals(
          List.of("no_usable_keys", "no_usable_keys"), t.stringColumn("error_type").asList());
      assertTrue(sim.batches().isEmpty());
    }
  }

  @Test
  void filesGoInTheSameRequestAsSyncInlineOrThroughTheFilesApiOfTheJobsProject() throws Exception {
    FakeClock clock = new FakeClock();
    Path small =
        Files.writeString(dir.resolve("note.txt"), "a short note for the batch\n".repeat(20));
    try (Simulator sim = sim(clock).start()) {
      List<java.util.Map<String, Object>> tasks =
          List.of(
              java.util.Map.of(
                  "id", "f1", "prompt", "Summarise the note", "files", small.toString()));
      LocalFiles files = LocalFiles.in(dir);
      Table inline = rotator(sim, clock, "files-batch-key-001").files(files).run(tasks);
      Table uploaded =
          rotator(sim, clock, "files-batch-key-001").files(files).inlineLimit(1).run(tasks);
      Table sync =
          Rotator.keys("files-batch-key-001").baseUrl(sim.baseUrl()).files(files).run(tasks);
      assertTrue(
          sync.stringColumn("response").get(0).contains("[files: text/plain"),
          sync.stringColumn("response").get(0));
      assertEquals(sync.stringColumn("response").get(0), inline.stringColumn("response").get(0));
      assertEquals(sync.stringColumn("response").get(0), uploaded.stringColumn("response").get(0));
      assertEquals(1, sim.uploads().size(), "the large-file run uploaded the file once");
    }
  }
}
