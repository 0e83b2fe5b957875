package dev.gkr.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gkr.BatchModeHooks;
import dev.gkr.Cost;
import dev.gkr.Generation;
import dev.gkr.Limits;
import dev.gkr.LocalFiles;
import dev.gkr.Mode;
import dev.gkr.Retries;
import dev.gkr.Rotator;
import dev.gkr.Task;
import dev.gkr.sim.Quota;
import dev.gkr.sim.SimBatch;
import dev.gkr.sim.SimRequest;
import dev.gkr.sim.Simulator;
import java.io.ByteArrayOutputStream;
import java.io.ObjectOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

/**
 * gkr on a local SparkSession ({@code local[4,2]}: four executor threads, a failed task retried
 * once) against the simulator over real HTTP, with three projects: p1 with two keys, p2 and p3 with
 * one each. One session for the class keeps Spark's start-up cost to once.
 */
class GkrSparkTest {
  static final String A1 = "AIzaSparkTestProjectOneKeyA0001";
  static final String A2 = "AIzaSparkTestProjectOneKeyB0002";
  static final String B1 = "AIzaSparkTestProjectTwoKeyA0003";
  static final String C1 = "AIzaSparkTestProjectThreeKeyA0004";
  static final List<String> KEYS = List.of(A1, A2, B1, C1);
  static final Map<String, String> PROJECT = Map.of(A1, "p1", A2, "p1", B1, "p2", C1, "p3");

  @TempDir static Path eventLogs;
  static SparkSession spark;

  @TempDir Path dir;

  @BeforeAll
  static void startSpark() {
    spark =
        SparkSession.builder()
            .master("local[4,2]")
            .appName("gkr-spark-test")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "4")
            .config("spark.default.parallelism", "4")
            .config("spark.eventLog.enabled", "true")
            .config("spark.eventLog.compress", "false")
            .config("spark.eventLog.dir", eventLogs.toUri().toString())
            .getOrCreate();
  }

  @AfterAll
  static void stopSpark() {
    if (spark != null) spark.stop();
  }

  static Simulator simulator(Quota quota) {
    return Simulator.builder()
        .project("p1", quota, A1, A2)
        .project("p2", quota, B1)
        .project("p3", quota, C1)
        .start();
  }

  static Rotator rotator(Simulator sim) {
    return Rotator.keys(KEYS)
        .project("p1", A1, A2)
        .project("p2", B1)
        .project("p3", C1)
        .slots(2)
        .baseUrl(sim.baseUrl());
  }

  static final StructType TASKS =
      DataTypes.createStructType(
          List.of(
              DataTypes.createStructField("id", DataTypes.StringType, false),
              DataTypes.createStructField("prompt", DataTypes.StringType, false),
              DataTypes.createStructField("row_no", DataTypes.IntegerType, false),
              DataTypes.createStructField("weight", DataTypes.DoubleType, true)));

  static Dataset<Row> tasks(int from, int to) {
    List<Row> rows = new ArrayList<>();
    for (int i = from; i < to; i++)
      rows.add(RowFactory.create("t" + i, "question " + i, i, i / 4.0));
    return spark.createDataFrame(rows, TASKS);
  }

  /** The log masks keys to their last four characters, which differ between the test's keys. */
  static String projectOf(String masked) {
    for (String k : KEYS) if (masked.endsWith(k.substring(k.length() - 4))) return PROJECT.get(k);
    throw new AssertionError("no key ends like " + masked);
  }

  static Map<String, Long> answersPerPrompt(Simulator sim) {
    return sim.requests().stream()
        .filter(r -> r.status() == 200)
        .collect(Collectors.groupingBy(SimRequest::prompt, Collectors.counting()));
  }

  @Test
  void givesEveryTaskOnceWithTheAnswersOfASingleJvmRunAndSparkTypes() {
    Map<String, String> local = new HashMap<>();
    try (Simulator sim = simulator(Quota.unlimited())) {
      List<Task> list =
          IntStream.range(0, 40).mapToObj(i -> Task.of("t" + i, "question " + i)).toList();
      Table t = rotator(sim).run(list);
      for (int i = 0; i < t.rowCount(); i++)
        local.put(t.stringColumn("id").get(i), t.stringColumn("response").get(i));
    }
    try (Simulator sim = simulator(Quota.unlimited())) {
      Dataset<Row> out = GkrSpark.generate(tasks(0, 40), rotator(sim), dir.toString());
      StructType schema = out.schema();
      assertEquals(DataTypes.BooleanType, schema.apply("success").dataType());
      assertEquals(DataTypes.IntegerType, schema.apply("prompt_tokens").dataType());
      assertEquals(DataTypes.IntegerType, schema.apply("output_tokens").dataType());
      assertEquals(DataTypes.DoubleType, schema.apply("cost_usd").dataType());
      assertEquals(DataTypes.IntegerType, schema.apply("row_no").dataType());
      assertEquals(DataTypes.DoubleType, schema.apply("weight").dataType());
      List<Row> rows = out.collectAsList();
      assertEquals(40, rows.size());
      for (Row r : rows) {
        String id = r.getAs("id");
        assertTrue((Boolean) r.getAs("success"), id);
        assertEquals(local.get(id), r.getAs("response"), id);
        assertEquals(Integer.parseInt(id.substring(1)), (int) r.<Integer>getAs("row_no"));
        assertEquals(Integer.parseInt(id.substring(1)) / 4.0, r.<Double>getAs("weight"));
        assertTrue(r.<Integer>getAs("output_tokens") > 0, id);
      }
      Map<String, Long> answers = answersPerPrompt(sim);
      assertEquals(40, answers.size());
      assertTrue(answers.values().stream().allMatch(n -> n == 1), "answered twice: " + answers);
    }
  }

  /** The shared context of context(...) travels to the executors and goes first in each request. */
  @Test
  void theSharedContextGoesFirstInEveryRequestOnTheExecutors_issue28() throws Exception {
    Path manual = Files.writeString(dir.resolve("manual.txt"), "Step 1. Unplug it.\n".repeat(20));
    try (Simulator sim = simulator(Quota.unlimited())) {
      Rotator r = rotator(sim).files(LocalFiles.in(dir)).context(manual);
      List<Row> rows =
          GkrSpark.generate(tasks(0, 6), r, dir.resolve("cp").toString()).collectAsList();
      assertEquals(6, rows.size());
      for (Row row : rows) assertTrue((Boolean) row.getAs("success"), row.toString());
      assertEquals(6, sim.requests().size());
      for (SimRequest q : sim.requests())
        assertEquals(Files.size(manual), q.parts().get(0).bytes(), q.prompt() + ": context first");
    }
  }

  /** The cache mode travels too: off sends the context inline, on puts it in a cache. */
  @Test
  void theCacheModeTravelsToTheExecutors_issue28() throws Exception {
    Path manual =
        Files.writeString(dir.resolve("manual.txt"), "Step 1. Unplug it first.\n".repeat(400));
    for (String mode : List.of("off", "on")) {
      try (Simulator sim = simulator(Quota.unlimited())) {
        Rotator r =
            rotator(sim)
                .files(LocalFiles.in(dir))
                .context(manual)
                .cost(dev.gkr.Cost.builder().contextCache(mode).build());
        List<Row> rows =
            GkrSpark.generate(tasks(0, 6), r, dir.resolve("cp-" + mode).toString()).collectAsList();
        for (Row row : rows) assertTrue((Boolean) row.getAs("success"), row.toString());
        assertEquals(mode.equals("on"), sim.caches().created() > 0, mode);
        assertEquals(0, sim.caches().live(), mode);
        for (SimRequest q : sim.requests())
          assertEquals(mode.equals("on") ? 0 : 1, q.parts().size(), mode + ": " + q.prompt());
      }
    }
  }

  record Answer(String name, int words) {}

  /** The record of json(Class) travels to the executors: its answers are bound there too. */
  @Test
  void answersBindToTheRecordOfJsonClassOnTheExecutors_issue27() {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 6; i++)
      rows.add(
          RowFactory.create(
              "t" + i, "question " + i + (i % 2 == 0 ? " [[sim:schema-mismatch]]" : ""), i, 0.0));
    try (Simulator sim = simulator(Quota.unlimited())) {
      Rotator r = rotator(sim).json(Answer.class).retries(Retries.builder().maxRetries(0).build());
      Dataset<Row> out = GkrSpark.generate(spark.createDataFrame(rows, TASKS), r, dir.toString());
      for (Row row : out.collectAsList()) {
        int i = row.<Integer>getAs("row_no");
        assertEquals(i % 2 != 0, row.<Boolean>getAs("success"), "task " + i);
        if (i % 2 == 0) assertEquals("schema_mismatch", row.getAs("error_type"), "task " + i);
      }
    }
  }

  /**
   * Each project's requests come from one shard (the prompts the simulator got on a project's keys
   * all belong to tasks of that project's shard), and four concurrent shard runs keep every
   * project's declared limits: the simulator, which enforces each project's quota by arrival,
   * refused none. The quota is 20 requests per second and gkr declares 12 (margin for a loaded
   * machine, as in QuotaTest); two shards sharing p1 would send it up to 24 per second.
   */
  @Test
  void eachProjectIsServedByOneShardWithinItsDeclaredLimits() {
    try (Simulator sim = simulator(Quota.per(20, Duration.ofSeconds(1)))) {
      Rotator r = rotator(sim).limits(Limits.per(12, Duration.ofSeconds(1)));
      Sharding sharding = ShardSettings.of(r).sharding(0);
      assertEquals(3, sharding.shards());
      long ok = GkrSpark.generate(tasks(0, 60), r, dir.toString()).filter("success").count();
      assertEquals(60, ok);
      assertEquals(0, sim.requests().stream().filter(q -> q.status() == 429).count());
      Map<String, Set<Integer>> shardsOfProject = new HashMap<>();
      for (SimRequest q : sim.requests()) {
        String id = "t" + q.prompt().substring("question ".length());
        shardsOfProject
            .computeIfAbsent(projectOf(q.key()), p -> new HashSet<>())
            .add(sharding.shardOfTask(id));
      }
      assertEquals(Set.of("p1", "p2", "p3"), shardsOfProject.keySet());
      shardsOfProject.forEach((p, s) -> assertEquals(1, s.size(), p + " was used by shards " + s));
    }
  }

  @Test
  void fewerShardsThanProjectsKeepEachProjectWhole() {
    try (Simulator sim = simulator(Quota.unlimited())) {
      Sharding two = ShardSettings.of(rotator(sim)).sharding(2);
      assertEquals(2, two.shards());
      assertEquals(two.shardOfProject("p1"), two.shardOfProject("p3"));
      assertTrue(two.shardOfProject("p1") != two.shardOfProject("p2"));
      long ok =
          GkrSpark.generate(tasks(0, 20), rotator(sim), dir.toString(), Shards.of(2))
              .filter("success")
              .count();
      assertEquals(20, ok);
      assertEquals(20, sim.requests().size());
    }
  }

  /**
   * Each shard's first attempt is stopped after 3 answers; Spark retries it, the retry resumes the
   * shard's checkpoint, and the simulator answered every prompt exactly once.
   */
  @Test
  void aRetriedAttemptResumesItsShardAndAnswersNothingTwice_issue30() throws Exception {
    AtomicInteger failedAttempts = new AtomicInteger();
    SparkListener failures =
        new SparkListener() {
          @Override
          public void onTaskEnd(SparkListenerTaskEnd end) {
            if (end.taskInfo().failed()) failedAttempts.incrementAndGet();
          }
        };
    spark.sparkContext().addSparkListener(failures);
    try (Simulator sim = simulator(Quota.unlimited())) {
      List<Row> rows =
          GkrSpark.generate(tasks(0, 45), rotator(sim), dir.toString(), Shards.PER_PROJECT, 3)
              .collectAsList();
      spark.sparkContext().listenerBus().waitUntilEmpty();
      assertEquals(3, failedAttempts.get(), "each shard's first attempt should have failed");
      assertEquals(45, rows.size());
      assertTrue(rows.stream().allMatch(r -> r.<Boolean>getAs("success")));
      Map<String, Long> answers = answersPerPrompt(sim);
      assertEquals(45, answers.size());
      assertTrue(answers.values().stream().allMatch(n -> n == 1), "answered twice: " + answers);
    } finally {
      spark.sparkContext().removeSparkListener(failures);
    }
  }

  /** Batch Mode per shard: each project's tasks go in its own shard's jobs, none synchronously. */
  @Test
  void batchModeRunsPerShard() {
    try (Simulator sim =
        Simulator.builder()
            .project("p1", Quota.unlimited(), A1, A2)
            .project("p2", Quota.unlimited(), B1)
            .project("p3", Quota.unlimited(), C1)
            .batchTiming(Duration.ofMillis(50), Duration.ofMillis(100))
            .start()) {
      Rotator r =
          rotator(sim)
              .batchMode(
                  BatchModeHooks.polling(
                      Mode.BATCH, Duration.ofMillis(50), Duration.ofMillis(200)));
      Sharding sharding = ShardSettings.of(r).sharding(0);
      assertEquals(
          24, GkrSpark.generate(tasks(0, 24), r, dir.toString()).filter("success").count());
      assertEquals(0, sim.requests().stream().filter(q -> q.status() == 200).count());
      assertFalse(sim.batches().isEmpty());
      for (SimBatch b : sim.batches()) {
        Set<Integer> shards = new HashSet<>();
        for (String id : b.requestKeys()) shards.add(sharding.shardOfTask(id));
        assertEquals(Set.of(sharding.shardOfProject(b.project())), shards, b.project());
      }
    }
  }

  @Test
  void aRerunWithTheSameDirectorySendsOnlyWhatIsMissing() {
    try (Simulator first = simulator(Quota.unlimited())) {
      assertEquals(20, GkrSpark.generate(tasks(0, 20), rotator(first), dir.toString()).count());
      assertEquals(20, first.requests().size());
    }
    try (Simulator second = simulator(Quota.unlimited())) {
      Dataset<Row> out = GkrSpark.generate(tasks(0, 30), rotator(second), dir.toString());
      assertEquals(30, out.filter("success").count());
      Set<String> sent = new HashSet<>(answersPerPrompt(second).keySet());
      Set<String> missing = new HashSet<>();
      for (int i = 20; i < 30; i++) missing.add("question " + i);
      assertEquals(missing, sent);
      assertEquals(10, second.requests().size());
      assertEquals(30, out.count(), "a second action reads the checkpoints");
      assertEquals(10, second.requests().size(), "a second action sent requests");
    }
  }

  /**
   * A checkpoint directory on a file system that is not local (the shard's files are copied in
   * before its run and back after it, also when the attempt fails): a retried attempt and a rerun
   * still answer nothing twice.
   */
  @Test
  void aRemoteDirectoryKeepsEveryAnswerAcrossARetryAndARerun() {
    spark
        .sparkContext()
        .hadoopConfiguration()
        .set("fs." + RemoteLikeFileSystem.SCHEME + ".impl", RemoteLikeFileSystem.class.getName());
    String remote = RemoteLikeFileSystem.SCHEME + "://" + dir.toAbsolutePath().toUri().getPath();
    try (Simulator first = simulator(Quota.unlimited())) {
      GkrSpark.generate(tasks(0, 30), rotator(first), remote, Shards.PER_PROJECT, 3).count();
      Map<String, Long> answers = answersPerPrompt(first);
      assertEquals(30, answers.size());
      assertTrue(answers.values().stream().allMatch(n -> n == 1), "answered twice: " + answers);
    }
    assertTrue(Files.exists(dir.resolve(ShardCheckpoint.fileName(0))), "not copied back");
    try (Simulator second = simulator(Quota.unlimited())) {
      assertEquals(
          36, GkrSpark.generate(tasks(0, 36), rotator(second), remote).filter("success").count());
      assertEquals(6, second.requests().size());
    }
  }

  /**
   * A cost cap ends each shard at its share: the job succeeds, no shard spends more than its part
   * of the cap, and the tasks left over read as in a local run (cancelled, "raise it and run
   * again").
   */
  @Test
  void aCostCapEndsTheShardsWithinItsSharesAndTheJobSucceeds() {
    try (Simulator sim = simulator(Quota.unlimited())) {
      // Each request reserves its worst case, about $0.0005 (200 output tokens, no thinking); an
      // answer costs a few $0.00001. p1's shard (2 keys, about half the tasks) gets about $0.0006,
      // room for some of its tasks; the others about $0.0003 each, less than one reservation.
      double cap = 0.0012;
      Rotator r =
          rotator(sim)
              .generation(Generation.builder().maxOutputTokens(200).thinkingBudget(0).build())
              .cost(Cost.capped(cap));
      List<Row> rows = GkrSpark.generate(tasks(0, 40), r, dir.toString()).collectAsList();
      assertEquals(40, rows.size());
      double spent = 0;
      int answered = 0, leftOver = 0;
      for (Row row : rows) {
        if (row.<Boolean>getAs("success")) {
          answered++;
          spent += row.<Double>getAs("cost_usd");
        } else if ("cancelled".equals(row.getAs("error_type"))) {
          leftOver++;
          assertTrue(row.<String>getAs("error").contains("raise it and run again"));
        }
      }
      assertTrue(answered > 0 && leftOver > 0, answered + " answered, " + leftOver + " left over");
      assertEquals(40, answered + leftOver);
      assertTrue(spent <= cap, "spent " + spent + " over the cap " + cap);
      assertEquals(answered, sim.requests().size());
    }
  }

  /** A cost cap is split across shards by their task counts. */
  @Test
  void aCostCapIsSplitByTheShardsTaskCounts() {
    try (Simulator sim = simulator(Quota.unlimited())) {
      Sharding sharding = ShardSettings.of(rotator(sim)).sharding(0);
      Dataset<Row> tasks = tasks(0, 40);
      SparkColumns columns = SparkColumns.of(tasks.schema(), false);
      double[] caps = GkrSpark.split(2.0, tasks.toJavaRDD(), columns, sharding);
      int[] counts = new int[3];
      for (int i = 0; i < 40; i++) counts[sharding.shardOfTask("t" + i)]++;
      for (int s = 0; s < 3; s++) assertEquals(2.0 * counts[s] / 40, caps[s], 1e-12);
      assertTrue(counts[0] > counts[1] && counts[0] > counts[2], "p1 has two keys: more tasks");
    }
  }

  @Test
  void aDirectoryWrittenWithOtherShardsIsRefused() {
    try (Simulator sim = simulator(Quota.unlimited())) {
      GkrSpark.generate(tasks(0, 4), rotator(sim), dir.toString());
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> GkrSpark.generate(tasks(0, 4), rotator(sim), dir.toString(), Shards.of(2)));
      assertTrue(e.getMessage().contains("3 shards"), e.getMessage());
      assertEquals(0, sim.requests().size());
    }
  }

  @Test
  void speculationIsRefused() {
    org.apache.spark.SparkConf on =
        new org.apache.spark.SparkConf().set("spark.speculation", "true");
    IllegalStateException e =
        assertThrows(IllegalStateException.class, () -> GkrSpark.refuseSpeculation(on));
    assertTrue(e.getMessage().contains("spark.speculation"), e.getMessage());
    GkrSpark.refuseSpeculation(new org.apache.spark.SparkConf());
  }

  @Test
  void missingIdColumnIsNamed() {
    Dataset<Row> noId = tasks(0, 2).drop("id");
    try (Simulator sim = simulator(Quota.unlimited())) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> GkrSpark.generate(noId, rotator(sim), dir.toString()));
      assertTrue(e.getMessage().contains("'id' column"), e.getMessage());
    }
  }

  /**
   * No whole key in the query plans, the closure's serialised bytes, what the run printed, or the
   * event log (which the Spark UI and history server show).
   */
  @Test
  void noKeyInPlansClosureOutputOrEventLog() throws Exception {
    PrintStream err = System.err;
    PrintStream out = System.out;
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    PrintStream capture = new PrintStream(printed, true, StandardCharsets.UTF_8);
    String plans;
    try (Simulator sim = simulator(Quota.unlimited())) {
      System.setErr(capture);
      System.setOut(capture);
      Dataset<Row> results = GkrSpark.generate(tasks(0, 8), rotator(sim), dir.toString());
      assertEquals(8, results.filter("success").count());
      plans = results.queryExecution().toString() + results.rdd().toDebugString();
    } finally {
      System.setErr(err);
      System.setOut(out);
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream o = new ObjectOutputStream(bytes)) {
      Rotator r = Rotator.keys(KEYS).project("p1", A1, A2).project("p2", B1).project("p3", C1);
      o.writeObject(ShardSettings.of(r));
    }
    String closure = bytes.toString(StandardCharsets.ISO_8859_1);
    StringBuilder events = new StringBuilder();
    try (var files = Files.walk(eventLogs)) {
      for (Path f : files.filter(Files::isRegularFile).toList()) events.append(Files.readString(f));
    }
    assertTrue(plans.contains("weight"), "no plan rendered: " + plans);
    assertTrue(events.toString().contains("SparkListenerJobEnd"), "no event log read");
    assertTrue(events.toString().contains("weight"), "no plan in the event log");
    for (String key : KEYS) {
      assertFalse(plans.contains(key), "a key in the plans");
      assertFalse(closure.contains(key), "a key in the serialised settings");
      assertFalse(printed.toString(StandardCharsets.UTF_8).contains(key), "a key printed");
      assertFalse(events.toString().contains(key), "a key in the event log");
    }
  }
}
