package dev.gkr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gkr.internal.common.Durations;
import dev.gkr.internal.common.Numbers;
import dev.gkr.internal.engine.Timeline;
import dev.gkr.internal.report.StatsReport;
import dev.gkr.internal.store.Checkpoint;
import dev.gkr.internal.table.TaskResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

/** One rule per kind of number, wherever gkr writes it (issue 25, item 9). */
class NumbersRuleTest {
  @TempDir Path dir;

  @Test
  void moneyForPeopleHasSixDecimalsAlways_issue25() {
    assertEquals("$0.024800", Numbers.usd(0.0248));
    assertEquals("$0.001090", Numbers.usd(0.00109));
    assertEquals("$0.000013", Numbers.usd(0.0000128));
    assertEquals("$12.340000", Numbers.usd(12.34));
  }

  @Test
  void theKeyTablesCostColumnLinesUp_issue25() {
    RunStats s =
        RunStats.builder()
            .keys(
                List.of(
                    new KeyStats(
                        "key-1…0001", "p", KeyStatus.ACTIVE, 1, 1, 0, 0, 1, 0.0000128, Map.of()),
                    new KeyStats(
                        "key-2…0002", "p", KeyStatus.ACTIVE, 1, 1, 0, 0, 1, 0.02, Map.of())))
            .build();
    String table = StatsReport.keyTable(s).print();
    assertTrue(table.contains("0.000013") && table.contains("0.020000"), table);
  }

  @Test
  void retryDelaysReadOneWay_issue25() {
    assertEquals("2s", Durations.format(Duration.ofMillis(2000)));
    assertEquals("4s", Durations.format(Duration.ofMillis(3990)));
    assertEquals("4.5s", Durations.format(Duration.ofMillis(4500)));
    assertEquals("1m", Durations.format(Duration.ofMillis(59_990)));
  }

  @Test
  void theTimelineRoundsToTheMillisecond_issue25() {
    Table t =
        Timeline.table(
            List.of(
                new Timeline.Entry(0, "key-1…", "t1", 1_412_214_385L, 1_962_192_880L, "ok", 0, 1)));
    assertEquals(1.412, t.doubleColumn("start_s").get(0));
    assertEquals(1962.0, t.doubleColumn("latency_ms").get(0));
  }

  @Test
  void theCheckpointWritesCostsAsPlainRoundedDecimals_issue25() throws Exception {
    Path cp = dir.resolve("n.checkpoint.jsonl");
    try (Checkpoint c = Checkpoint.open(cp, m -> {}, dev.gkr.internal.common.Clock.SYSTEM)) {
      TaskResult r =
          TaskResult.builder("1")
              .success(true)
              .response("a")
              .attempt(1, "key-1…0001", 1, 120)
              .costUsd(1.2800000000000001E-5)
              .build();
      c.append(new Task("1", "p", java.util.Map.of()), "h", r);
    }
    String line = Files.readString(cp);
    assertTrue(line.contains("\"cost_usd\":0.0000128"), line);
    assertFalse(line.contains("E-"), line);
    try (Checkpoint c = Checkpoint.open(cp, m -> {}, dev.gkr.internal.common.Clock.SYSTEM)) {
      assertEquals(0.0000128, c.entries().get("1").result().costUsd(), 1e-15);
    }
  }

  @Test
  void countsAgreeWithTheirNouns_issue25() {
    assertEquals("1 task", Numbers.count(1, "task"));
    assertEquals("1,200 tasks", Numbers.count(1200, "task"));
    RunStats one = RunStats.builder().total(1).succeeded(1).requests(1).slots(1).build();
    String head = one.print().lines().findFirst().orElse("");
    assertTrue(head.contains(": 1 task, 1 succeeded"), head);
    assertTrue(head.contains("| 1 request ("), head);
    assertFalse(
        head.contains("1 tasks") || head.contains("1 requests") || head.contains("1 slots"), head);
    String plan = Rotator.keys("plan-key-0001").plan(List.of("one prompt")).print();
    assertTrue(plan.startsWith("1 task over 1 key in 1 project, 1 slot"), plan);
  }
}
