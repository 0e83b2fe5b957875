package dev.gkr;

import dev.gkr.internal.common.Clock;
import dev.gkr.internal.json.JsonRepair;
import dev.gkr.internal.store.Checkpoint;
import dev.gkr.internal.table.TaskResult;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * JMH micro benchmarks for scripts/bench: a checkpoint append, and JSON repair over the test
 * corpus.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class MicroBench {
  private Path dir;
  private Checkpoint checkpoint;
  private Task task;
  private TaskResult result;
  private List<String> answers;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    dir = Files.createTempDirectory("gkr-jmh");
    checkpoint = Checkpoint.open(dir.resolve("bench.checkpoint.jsonl"), m -> {}, Clock.SYSTEM);
    task =
        new Task(
            "42",
            "Explain the water cycle to a beginner in two sentences.",
            Map.of("topic", "water"));
    result =
        TaskResult.builder("42")
            .success(true)
            .response("Water evaporates, condenses into clouds and falls as rain.")
            .attempt(1, "key-1…0001", 3, 640)
            .finishReason("STOP")
            .promptTokens(15)
            .outputTokens(19)
            .totalTokens(34)
            .build();
    answers = new ArrayList<>();
    var json = new com.fasterxml.jackson.databind.ObjectMapper();
    try (BufferedReader r =
        new BufferedReader(
            new InputStreamReader(
                MicroBench.class.getResourceAsStream("/json-repair-corpus.jsonl"),
                StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; )
        if (!line.isBlank()) answers.add(json.readTree(line).get("input").asText());
    }
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    checkpoint.close();
    Files.deleteIfExists(dir.resolve("bench.checkpoint.jsonl"));
    Files.deleteIfExists(dir);
  }

  @Benchmark
  public void checkpointAppend() {
    checkpoint.append(task, "0123456789abcdef", result);
  }

  /** One operation repairs (or rejects) every answer of the corpus. */
  @Benchmark
  public void jsonRepairCorpus(Blackhole bh) {
    for (String a : answers) {
      try {
        bh.consume(JsonRepair.repair(a));
      } catch (JsonRepair.RepairException e) {
        bh.consume(e);
      }
    }
  }

  static int corpusSize() throws Exception {
    MicroBench m = new MicroBench();
    m.setUp();
    m.tearDown();
    return m.answers.size();
  }
}
