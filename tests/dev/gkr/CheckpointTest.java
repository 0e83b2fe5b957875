package dev.gkr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gkr.sim.SimRequest;
import dev.gkr.sim.Simulator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

class CheckpointTest {
  @TempDir Path dir;

  static List<String> prompts(int n) {
    return IntStream.rangeClosed(1, n).mapToObj(i -> "resumable question " + i).toList();
  }

  @Test
  void resumeSkipsFinishedTasksAndReturnsTheWholeTable() {
    Path cp = dir.resolve("run.checkpoint.jsonl");
    try (Simulator sim = Simulator.builder().start()) {
      Table first = Rotator.keys("cp-key-1").baseUrl(sim.baseUrl()).checkpoint(cp).run(prompts(30));
      assertEquals(30, sim.requests().size());
      Rotator again = Rotator.keys("cp-key-1").baseUrl(sim.baseUrl()).checkpoint(cp);
      Table second = again.run(prompts(30));
      assertEquals(30, sim.requests().size(), "a finished task was sent again");
      assertEquals(
          first.stringColumn("response").asList(), second.stringColumn("response").asList());
      assertEquals(30, again.stats().restored());
    }
  }

  @Test
  void changedPromptsAreRedoneWithANotice() {
    Path cp = dir.resolve("changed.jsonl");
    try (Simulator sim = Simulator.builder().start()) {
      Rotator.keys("cp-key-1").baseUrl(sim.baseUrl()).checkpoint(cp).run(prompts(10));
      List<String> edited = new ArrayList<>(prompts(10));
      edited.set(2, "edited 3");
      edited.set(7, "edited 8");
      List<RotatorEvent> events = new CopyOnWriteArrayList<>();
      Table t =
          Rotator.keys("cp-key-1")
              .baseUrl(sim.baseUrl())
              .checkpoint(cp)
              .onEvent(events::add)
              .run(edited);
      assertEquals(12, sim.requests().size());
      assertEquals(Simulator.answerFor("edited 3", "", null), t.stringColumn("response").get(2));
      assertTrue(
          events.stream()
              .anyMatch(
                  e ->
                      e instanceof RotatorEvent.Notice n
                          && n.message().startsWith("2 tasks changed")),
          events.toString());
    }
  }

  @Test
  void failedTasksAreRedoneByDefaultOrKeptOnRequest() {
    Path cp = dir.resolve("failed.jsonl");
    try (Simulator sim = Simulator.builder().start()) {
      List<String> tasks = List.of("fine", "blocked [[sim:safetyx1]]");
      Table first =
          Rotator.keys("cp-key-1")
              .baseUrl(sim.baseUrl())
              .retries(Retries.builder().maxRetries(0).build())
              .checkpoint(cp)
              .run(tasks);
      assertFalse(first.booleanColumn("success").get(1));
      Table kept =
          Rotator.keys("cp-key-1")
              .baseUrl(sim.baseUrl())
              .checkpoint(cp)
              .retries(Retries.builder().retryFailed(false).build())
              .run(tasks);
      assertFalse(kept.booleanColumn("success").get(1));
      assertEquals(2, sim.requests().size());
      Table redone = Rotator.keys("cp-key-1").baseUrl(sim.baseUrl()).checkpoint(cp).run(tasks);
      assertTrue(redone.booleanColumn("success").get(1));
      assertEquals(3, sim.requests().size());
      Table afterwards = Rotator.keys("cp-key-1").baseUrl(sim.baseUrl()).checkpoint(cp).run(tasks);
      assertTrue(
          afterwards.booleanColumn("success").get(1), "the later line for the same id must win");
      assertEquals(3, sim.requests().size());
    }
  }

  @Test
  void tornLastLineIsIgnoredWithANoticeAndCutOff() throws Exception {
    Path cp = dir.resolve("torn.jsonl");
    try (Simulator sim = Simulator.builder().start()) {
      Rotator.keys("cp-key-1").baseUrl(sim.baseUrl()).checkpoint(cp).run(prompts(5));
      List<String> lines = Files.readAllLines(cp);
      String last = lines.get(4);
      Files.writeString(
          cp, String.join("\n", lines.subList(0, 4)) + "\n" + last.substring(0, last.length() / 2));
      List<RotatorEvent> events = new CopyOnWriteArrayList<>();
      Table t =
          Rotator.keys("cp-key-1")
              .baseUrl(sim.baseUrl())
              .checkpoint(cp)
              .onEvent(events::add)
              .run(prompts(5));
      assertEquals(5, t.booleanColumn("success").countTrue());
      assertEquals(6, sim.requests().size(), "only the torn task is redone");
      assertTrue(
          events.stream()
              .anyMatch(
                  e ->
                      e instanceof RotatorEvent.Notice n
                          && n.message().contains("line 5 was cut short")));
      ObjectMapper json = new ObjectMapper();
      for (String line : Files.readAllLines(cp)) json.readTree(line); // every line is whole again
      assertEquals(5, Files.readAllLines(cp).size());
    }
  }

  @Test
  void corruptMiddleLineIsAClearErrorAndNothingIsOverwritten() throws Exception {
    Path cp = dir.resolve("corrupt.jsonl");
    try (Simulator sim = Simulator.builder().start()) {
      Rotator.keys("cp-key-1").baseUrl(sim.baseUrl()).checkpoint(cp).run(prompts(4));
      List<String> lines = new ArrayList<>(Files.readAllLines(cp));
      lines.set(1, "{\"id\": \"2\", this is not json");
      Files.write(cp, lines);
      byte[] before = Files.readAllBytes(cp);
      IllegalStateException e =
          assertThrows(
              IllegalStateException.class,
              () -> Rotator.keys("cp-key-1").baseUrl(sim.baseUrl()).checkpoint(cp).run(prompts(4)));
      assertTrue(
          e.getMessage().startsWith("checkpoint " + cp + " line 2 is corrupt"), e.getMessage());
      assertArrayEquals(before, Files.readAllBytes(cp));
      assertEquals(
          4, sim.requests().size(), "nothing may be sent when the checkpoint is unreadable");
    }
  }

  @Test
  void killNineMidwayThenResumeGivesEveryTaskExactlyOnce() throws Exception {
    Path cp = dir.resolve("killed.jsonl");
    int n = 300;
    try (Simulator sim =
        Simulator.builder().latency(Duration.ofMillis(25), Duration.ofMillis(10)).start()) {
      Process child = ChildRun.spawn(sim.baseUrl(), cp, n, dir.resolve("child.log"));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (Files2.completeLines(cp) < 60) {
        assertTrue(
            child.isAlive() && System.nanoTime() < deadline,
            "child ended before it could be killed: " + Files.readString(dir.resolve("child.log")));
        Thread.sleep(20); // polling another process's file: there is no latch across JVMs
      }
      child.destroyForcibly(); // SIGKILL: no shutdown hook, no flush
      assertTrue(child.waitFor(30, TimeUnit.SECONDS));
      assertEquals(128 + 9, child.exitValue(), "the child was not running when killed");
      long doneBeforeKill = Files2.completeLines(cp);
      assertTrue(doneBeforeKill < n, "the child finished before the kill; nothing to resume");

      Table t =
          Rotator.keys("child-key-1", "child-key-2")
              .slots(4)
              .baseUrl(sim.baseUrl())
              .checkpoint(cp)
              .run(prompts(n));
      assertEquals(n, t.rowCount());
      assertEquals(n, t.booleanColumn("success").countTrue());
      assertEquals(n, new HashSet<>(t.stringColumn("id").asList()).size());
      for (int i = 0; i < n; i++)
        assertEquals(
            Simulator.answerFor(prompts(n).get(i), "", null), t.stringColumn("response").get(i));
      Map<String, Long> perPrompt =
          sim.requests().stream()
              .collect(Collectors.groupingBy(SimRequest::prompt, Collectors.counting()));
      long twice = perPrompt.values().stream().filter(c -> c > 1).count();
      assertTrue(
          twice <= 8,
          twice + " tasks were requested twice; at most the 8 in flight at the kill may be");
      assertEquals(n, perPrompt.size());
    }
  }

  @Test
  void errorLogHasOneReadableLinePerFailedAttemptAndNoWholeKey() throws Exception {
    String suspended = "AIzaSyTEST-suspended-key-for-log-009kQz";
    String limited = "AIzaSyTEST-limited-key-for-the-log-f3Ab";
    String healthy = "AIzaSyTEST-healthy-key-for-the-log-77Hh";
    Path log = dir.resolve("errors.log");
    Path cp = dir.resolve("log.checkpoint.jsonl");
    try (Simulator sim =
        Simulator.builder()
            .key(suspended, dev.gkr.sim.KeyBehavior.suspended())
            .key(limited, dev.gkr.sim.KeyBehavior.rateLimitedFirst(1, Duration.ofMillis(100)))
            .start()) {
      Table t =
          Rotator.keys(limited, suspended, healthy)
              .baseUrl(sim.baseUrl())
              .onEvent(ErrorLog.to(log))
              .checkpoint(cp)
              .retries(Retries.builder().maxRetries(1).build())
              .run(List.of("a", "b", "c", "d", "never [[sim:safety]]"));
      String text = Files.readString(log, StandardCharsets.UTF_8);
      assertTrue(
          text.lines()
              .anyMatch(
                  l ->
                      l.matches(
                          "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d ERROR slot 1 key-1…f3Ab task \\d+ attempt 1: 429 RESOURCE_EXHAUSTED rate_limited: .* \\(retry in 100ms\\) -> back to the queue \\(no retry used\\)")),
          text);
      assertTrue(
          text.lines()
              .anyMatch(
                  l ->
                      l.contains("ERROR slot 2 key-2…9kQz")
                          && l.contains("403 PERMISSION_DENIED key_suspended")),
          text);
      assertTrue(
          text.lines().anyMatch(l -> l.endsWith("key-2…9kQz retired for the run (key_suspended)")),
          text);
      assertTrue(
          text.lines()
              .anyMatch(
                  l ->
                      l.contains("task 5 attempt")
                          && l.contains("prompt_blocked")
                          && l.endsWith("-> task failed")),
          text);
      for (String key : List.of(suspended, limited, healthy)) {
        assertFalse(text.contains(key), "whole key in the error log");
        assertFalse(Files.readString(cp).contains(key), "whole key in the checkpoint");
        assertFalse(t.printAll().contains(key), "whole key in the results");
      }
    }
  }
}
