package dev.gkr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gkr.sim.SimBatch;
import dev.gkr.sim.Simulator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

/**
 * Embeddings through Gemini Batch Mode (issue 29), through the real SDK ({@code
 * batches.createEmbeddings}, {@code asyncBatchEmbedContent}) over HTTP on the simulator, whose jobs
 * run on the same fake clock as the engine: half the price, the journal and re-attach, and the
 * {@code auto} split.
 */
class EmbedBatchTest {
  @TempDir Path dir;

  private static BatchMode batch(Mode mode) {
    return BatchMode.builder()
        .mode(mode)
        .polling(Duration.ofSeconds(5), Duration.ofMinutes(5))
        .build();
  }

  /** Jobs pending a minute, running five, on the engine's fake clock. */
  private static Simulator sim(FakeClock clock) {
    return Simulator.builder()
        .clock(clock::nanoTime)
        .batchTiming(Duration.ofMinutes(1), Duration.ofMinutes(5))
        .start();
  }

  /** One key, Batch Mode, the checkpoint (and so the journal) at {@code cp}. */
  private static Rotator journaled(Simulator sim, FakeClock clock, Path cp) {
    return Rotator.keys("embed-key-b2")
        .baseUrl(sim.baseUrl())
        .clock(clock)
        .checkpoint(cp)
        .batchMode(batch(Mode.BATCH));
  }

  /** Embeds with {@code r}, stopping (as on Ctrl-C) right after its first job is created. */
  private static Table stoppedAfterSubmitting(Rotator r, List<String> texts) {
    try {
      return r.onEvent(
              e -> {
                if (e instanceof RotatorEvent.Notice n
                    && n.message().startsWith("submitted batch job"))
                  Thread.currentThread().interrupt();
              })
          .embed(texts, Embedding.DEFAULT);
    } finally {
      Thread.interrupted();
    }
  }

  private static List<String> texts(String p, int n) {
    return IntStream.range(0, n).mapToObj(i -> p + " number " + i).toList();
  }

  @Test
  void batchModeBillsHalfTheSyncPriceForTheSameVectorsIssue29() {
    List<String> texts = texts("a priced passage about turbines", 6);
    FakeClock clock = new FakeClock();
    try (Simulator sim = sim(clock)) {
      Table sync =
          Rotator.keys("embed-key-b1").baseUrl(sim.baseUrl()).embed(texts, Embedding.DEFAULT);
      int calls = sim.requests().size();
      Table batch =
          Rotator.keys("embed-key-b1")
              .baseUrl(sim.baseUrl())
              .clock(clock)
              .batchMode(batch(Mode.BATCH))
              .embed(texts, Embedding.DEFAULT);
      assertEquals(calls, sim.requests().size(), "the batch run made no synchronous call");
      List<SimBatch> jobs = sim.batches();
      assertEquals(1, jobs.size());
      assertEquals("gemini-embedding-001", jobs.get(0).model());
      assertEquals(6, jobs.get(0).requestKeys().size());
      Map<String, float[]> sv = Embedding.vectors(sync);
      Map<String, float[]> bv = Embedding.vectors(batch);
      assertEquals(6, bv.size());
      double syncBill = 0;
      double batchBill = 0;
      for (int i = 0; i < texts.size(); i++) {
        String id = String.valueOf(i + 1);
        assertArrayEquals(sv.get(id), bv.get(id), "row " + i + ": the same vector");
        // by hand: a token is 4 UTF-8 bytes (rounded up); $0.15 per 1M standard, $0.075 batch
        long tokens = (texts.get(i).getBytes(StandardCharsets.UTF_8).length + 3) / 4;
        assertEquals(tokens * 0.15 / 1e6, sync.doubleColumn("cost_usd").get(i), 1e-15);
        assertEquals(tokens * 0.075 / 1e6, batch.doubleColumn("cost_usd").get(i), 1e-15);
        assertEquals("batch", batch.stringColumn("service_tier").get(i));
        syncBill += sync.doubleColumn("cost_usd").get(i);
        batchBill += batch.doubleColumn("cost_usd").get(i);
      }
      assertEquals(syncBill / 2, batchBill, 1e-15, "batch bills half");
      assertFalse(sync.columnNames().contains("service_tier"), "sync rows have no tier column");
    }
  }

  @Test
  void aRerunReattachesToTheRunningJobInsteadOfSubmittingAgainIssue29() throws Exception {
    List<String> texts = texts("a journaled chunk", 5);
    Path cp = dir.resolve("embed.checkpoint.jsonl");
    FakeClock clock = new FakeClock();
    try (Simulator sim = sim(clock)) {
      // the first run stops (as on Ctrl-C) right after its job is created
      Table first = stoppedAfterSubmitting(journaled(sim, clock, cp), texts);
      assertEquals(0, first.booleanColumn("success").countTrue());
      assertEquals(1, sim.batches().size());
      Path journal = dir.resolve("embed.checkpoint.batches.json");
      assertTrue(Files.exists(journal), "the job is journaled beside the checkpoint");
      assertTrue(Files.readString(journal).contains(sim.batches().get(0).name()));

      List<String> notices = new CopyOnWriteArrayList<>();
      Table second =
          journaled(sim, clock, cp)
              .onEvent(
                  e -> {
                    if (e instanceof RotatorEvent.Notice n) notices.add(n.message());
                  })
              .embed(texts, Embedding.DEFAULT);
      assertEquals(5, second.booleanColumn("success").countTrue());
      assertEquals(1, sim.batches().size(), "no second job: " + sim.batches());
      assertTrue(
          notices.stream().anyMatch(m -> m.startsWith("re-attached to batch job")), "" + notices);
      assertFalse(Files.exists(journal), "a collected job leaves the journal");
      // a third run finds every vector in the checkpoint and sends nothing
      Table third = journaled(sim, clock, cp).embed(texts, Embedding.DEFAULT);
      assertEquals(5, third.booleanColumn("success").countTrue());
      assertEquals(1, sim.batches().size());
    }
  }

  @Test
  void theBatchPartIsCountedInJobsAndThePrintCountsTextsIssue29() {
    List<String> texts = texts("a counted chunk", 5);
    Path cp = dir.resolve("embed.checkpoint.jsonl");
    FakeClock clock = new FakeClock();
    try (Simulator sim = sim(clock)) {
      Rotator stopped = journaled(sim, clock, cp);
      stoppedAfterSubmitting(stopped, texts);
      RunStats left = stopped.stats();
      assertEquals(new JobStats(0, 1, 0, 5, 0), left.jobs(), "the job is at Google with 5 texts");
      assertTrue(left.print().contains("| 1 batch job (1 still at Google)"), left.print());

      Rotator r = journaled(sim, clock, cp);
      r.embed(texts, Embedding.DEFAULT);
      RunStats s = r.stats();
      assertEquals(new JobStats(0, 0, 1, 0, 0), s.jobs(), "one job, collected");
      assertEquals(0, s.requests(), "no synchronous call");
      assertTrue(s.batchPart());
      assertTrue(s.print().contains("5 texts, 5 succeeded"), s.print());
      assertTrue(s.print().contains("| 1 batch job"), s.print());
    }
  }

  @Test
  void aJobWhoseNameWasNeverJournaledIsFoundByItsDisplayNameIssue29() throws Exception {
    List<String> texts = texts("a chunk created just before a crash", 3);
    Path cp = dir.resolve("embed.checkpoint.jsonl");
    FakeClock clock = new FakeClock();
    try (Simulator sim = sim(clock)) {
      stoppedAfterSubmitting(journaled(sim, clock, cp), texts);
      // as if the process died after the create call and before the job's name was written
      Path journal = dir.resolve("embed.checkpoint.batches.json");
      String name = sim.batches().get(0).name();
      Files.writeString(journal, Files.readString(journal).replace("\"" + name + "\"", "\"\""));
      assertFalse(Files.readString(journal).contains(name));
      Table t = journaled(sim, clock, cp).embed(texts, Embedding.DEFAULT);
      assertEquals(3, t.booleanColumn("success").countTrue());
      assertEquals(1, sim.batches().size(), "found by display name, not submitted again");
    }
  }

  @Test
  void aJobNoKeyCanCreateLeavesItsTextsForARerunIssue29() {
    Path cp = dir.resolve("embed.checkpoint.jsonl");
    FakeClock clock = new FakeClock();
    try (Simulator sim =
        Simulator.builder()
            .clock(clock::nanoTime)
            .key("embed-key-b2", dev.gkr.sim.KeyBehavior.invalid())
            .start()) {
      Table t = journaled(sim, clock, cp).embed(texts("refused", 3), Embedding.DEFAULT);
      assertEquals(0, t.booleanColumn("success").countTrue());
      assertEquals("no_usable_keys", t.stringColumn("error_type").get(0));
      assertTrue(t.stringColumn("error").get(0).contains("API_KEY_INVALID"), t.print());
      assertTrue(sim.batches().isEmpty());
      assertFalse(Files.exists(dir.resolve("embed.checkpoint.batches.json")), "no job journaled");
    }
  }

  @Test
  void autoEmbedsWhatTheQuotaAllowsByTheDeadlineAndBatchesTheRestIssue29() {
    List<String> texts = texts("an auto chunk", 100);
    FakeClock clock = new FakeClock();
    try (Simulator sim = sim(clock)) {
      Table t =
          Rotator.keys("embed-key-b3")
              .baseUrl(sim.baseUrl())
              .clock(clock)
              .limits(Limits.rpm(60))
              .batchMode(batch(Mode.AUTO).toBuilder().deadline(Duration.ofMinutes(1)).build())
              .embed(texts, Embedding.DEFAULT);
      assertEquals(100, t.booleanColumn("success").countTrue());
      // 60 texts a minute at 95 %: 57 synchronously, the first in input order; 43 in one job
      long synced =
          sim.requests().stream().filter(r -> r.prompt().startsWith("an auto chunk")).count();
      assertEquals(57, synced);
      assertEquals(1, sim.batches().size());
      assertEquals(43, sim.batches().get(0).requestKeys().size());
      assertTrue(t.stringColumn("service_tier").isMissing(0));
      assertEquals("batch", t.stringColumn("service_tier").get(99));
    }
  }
}
