package dev.gkr;

import dev.gkr.internal.call.Transport;
import dev.gkr.internal.common.ApiKey;
import dev.gkr.internal.common.Clock;
import dev.gkr.internal.common.Durations;
import dev.gkr.internal.common.Redactor;
import dev.gkr.internal.config.Settings;
import dev.gkr.internal.store.Checkpoint;
import dev.gkr.internal.store.TaskHash;
import dev.gkr.internal.table.TaskResult;
import dev.gkr.sim.Simulator;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import tech.tablesaw.api.Row;
import tech.tablesaw.api.Table;

/**
 * The benchmark behind {@code scripts/bench}: one part per JVM, each printing {@code RESULT} lines
 * (part, measure, value, limit-or-baseline, ratio). Every ratio is against a limit or baseline
 * measured in the same run. Not a test: Surefire does not pick it up.
 */
public final class Bench {
  private Bench() {}

  public static void main(String[] args) throws Exception {
    switch (args[0]) {
      case "pacing-a" -> pacing("1a pacing, latency 150±50ms", 24, 500, 150, 50, 960);
      case "pacing-b" -> pacing("1b pacing, latency 450±30ms", 24, 500, 450, 30, 960);
      case "fanout" -> fanout();
      case "overhead" -> overhead();
      case "scale" ->
          scale(
              Integer.parseInt(args[1]),
              Integer.parseInt(args[2]),
              Integer.parseInt(args[3]),
              args[4]);
      case "resume" -> resume(Integer.parseInt(args[1]));
      case "micro" -> micro();
      case "storm" -> storm();
      case "fallback" -> fallback();
      case "quota" -> quota();
      case "repair" -> RepairBench.run();
      case "cost" -> cost();
      case "embed" -> EmbedBench.run();
      default -> throw new IllegalArgumentException("unknown part " + args[0]);
    }
  }

  static void result(String part, String measure, double value, String limit, double ratio) {
    System.out.printf(
        Locale.ROOT,
        "RESULT\t%s\t%s\t%.3f\t%s\t%s%n",
        part,
        measure,
        value,
        limit,
        Double.isNaN(ratio) ? "" : String.format(Locale.ROOT, "%.3f", ratio));
  }

  static List<String> prompts(int n) {
    return IntStream.range(0, n).mapToObj(i -> "benchmark prompt number " + i).toList();
  }

  static List<String> keys(int n) {
    return IntStream.range(0, n).mapToObj(i -> String.format("bench-key-%08d", i)).toList();
  }

  /** Requests started per second over the run: (starts - 1) / (last start - first start). */
  static double startRate(List<Double> startsSeconds) {
    double first = startsSeconds.stream().mapToDouble(d -> d).min().orElse(0);
    double last = startsSeconds.stream().mapToDouble(d -> d).max().orElse(0);
    return (startsSeconds.size() - 1) / Math.max(1e-9, last - first);
  }

  static List<Double> starts(Table timeline) {
    List<Double> out = new ArrayList<>(timeline.rowCount());
    for (Row r : timeline) out.add(r.getDouble("start_s"));
    return out;
  }

  /**
   * gkr's start-to-start slots against the naive loop (sleep `every` after each answer), same
   * simulator.
   */
  static void pacing(String part, int slots, int everyMs, int latencyMs, int jitterMs, int tasks)
      throws Exception {
    double limit = slots * 1000.0 / everyMs;
    try (Simulator sim =
        Simulator.builder()
            .latency(Duration.ofMillis(latencyMs), Duration.ofMillis(jitterMs))
            .keepLog(false)
            .start()) {
      Rotator r =
          Rotator.keys(keys(slots / 4))
              .slots(4)
              .every(Duration.ofMillis(everyMs))
              .baseUrl(sim.baseUrl());
      r.run(prompts(tasks));
      double gkr = startRate(starts(r.stats().timeline()));
      result(part, "gkr req/s", gkr, fmt(limit) + " (slots/every)", gkr / limit);

      Settings s = Rotator.keys(keys(slots / 4)).slots(4).baseUrl(sim.baseUrl()).settings();
      ConcurrentLinkedQueue<String> queue = new ConcurrentLinkedQueue<>(prompts(tasks));
      ConcurrentLinkedQueue<Double> naiveStarts = new ConcurrentLinkedQueue<>();
      long t0 = System.nanoTime();
      try (Transport t = new Transport(s, new Redactor(s.keys()));
          ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
        for (int i = 0; i < slots; i++) {
          ApiKey key = s.keys().get(i % s.keys().size());
          pool.execute(
              () -> {
                for (String p; (p = queue.poll()) != null; ) {
                  naiveStarts.add((System.nanoTime() - t0) / 1e9);
                  t.generate(key, p);
                  try {
                    Thread.sleep(everyMs);
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              });
        }
      }
      double naive = startRate(new ArrayList<>(naiveStarts));
      double expected = (double) everyMs / (everyMs + latencyMs);
      result(
          part,
          "naive req/s (sleep after answer)",
          naive,
          fmt(limit) + " (expected ratio " + fmt(expected) + ")",
          naive / limit);
    }
  }

  /**
   * A warm-up batch first: a cold JVM's first round (class loading, JIT, hundreds of new
   * connections at once) takes 2-3 s instead of 0.8 s, which a 12-second measurement would charge
   * to pacing.
   */
  static void warmUp(Simulator sim, int keys, int perKey) {
    Rotator.keys(keys(keys))
        .slots(perKey)
        .baseUrl(sim.baseUrl())
        .run(prompts(Math.max(2_000, keys * perKey)));
  }

  /** 100 keys x 5 slots every 1 s with 800 ms latency: 500 requests in flight most of the time. */
  static void fanout() {
    double limit = 500;
    try (Simulator sim =
        Simulator.builder().latency(Duration.ofMillis(800), Duration.ZERO).keepLog(false).start()) {
      warmUp(sim, 100, 5);
      Rotator r = Rotator.keys(keys(100)).slots(5).every("1s").baseUrl(sim.baseUrl());
      r.run(prompts(6_000));
      double rate = startRate(starts(r.stats().timeline()));
      result(
          "2 fan-out 500 slots",
          "gkr req/s (warm JVM)",
          rate,
          fmt(limit) + " (slots/every)",
          rate / limit);
      result(
          "2 fan-out 500 slots",
          "max requests in flight at the server",
          sim.maxConcurrentRequests(),
          "500",
          sim.maxConcurrentRequests() / 500.0);
    }
  }

  /**
   * every = 0, no latency: the engine against a plain loop of the same SDK calls on as many virtual
   * threads. The JIT warms the SDK slowly (throughput keeps rising for ~50k requests), so both warm
   * up first, then measured rounds alternate and the medians are compared.
   */
  static void overhead() throws Exception {
    int keys = 16, perKey = 4, slots = keys * perKey, n = 20_000, rounds = 3;
    var os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    try (Simulator sim = Simulator.builder().keepLog(false).start()) {
      for (int i = 0; i < 2; i++) {
        Rotator.keys(keys(keys)).slots(perKey).baseUrl(sim.baseUrl()).run(prompts(n));
        plainLoop(sim, keys, perKey, n);
      }
      double[] gkr = new double[rounds],
          plain = new double[rounds],
          gkrCpu = new double[rounds],
          plainCpu = new double[rounds];
      for (int i = 0; i < rounds; i++) {
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        Rotator.keys(keys(keys)).slots(perKey).baseUrl(sim.baseUrl()).run(prompts(n));
        gkr[i] = n / ((System.nanoTime() - t0) / 1e9);
        gkrCpu[i] = (os.getProcessCpuTime() - cpu0) / 1e3 / n;
        cpu0 = os.getProcessCpuTime();
        t0 = System.nanoTime();
        plainLoop(sim, keys, perKey, n);
        plain[i] = n / ((System.nanoTime() - t0) / 1e9);
        plainCpu[i] = (os.getProcessCpuTime() - cpu0) / 1e3 / n;
      }
      double g = median(gkr), p = median(plain), gc = median(gkrCpu), pc = median(plainCpu);
      result(
          "3 overhead " + slots + " slots",
          "gkr req/s (median of " + rounds + ")",
          g,
          fmt(p) + " (plain SDK loop)",
          g / p);
      result(
          "3 overhead " + slots + " slots",
          "gkr CPU µs/request (client+simulator)",
          gc,
          fmt(pc) + " (plain loop)",
          gc / pc);
    }
  }

  static double median(double[] v) {
    double[] c = v.clone();
    java.util.Arrays.sort(c);
    return c[c.length / 2];
  }

  static void plainLoop(Simulator sim, int keys, int perKey, int n) throws Exception {
    Settings s = Rotator.keys(keys(keys)).slots(perKey).baseUrl(sim.baseUrl()).settings();
    AtomicInteger next = new AtomicInteger();
    List<String> prompts = prompts(n);
    try (Transport t = new Transport(s, new Redactor(s.keys()));
        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int i = 0; i < keys * perKey; i++) {
        ApiKey key = s.keys().get(i % keys);
        pool.execute(
            () -> {
              for (int j; (j = next.getAndIncrement()) < n; ) t.generate(key, prompts.get(j));
            });
      }
    }
  }

  /**
   * Many tasks over many slots, paced so the rate is the same whatever the key count. Memory is the
   * live heap (after a full GC) at mid-run, when every slot is running and half the results are
   * held: "heap used" would count garbage the collector has not reclaimed yet.
   */
  static void scale(int tasks, int keys, int perKey, String every) throws Exception {
    Duration d = Durations.parse(every);
    double limit = keys * perKey / (d.toNanos() / 1e9);
    String part =
        String.format(Locale.ROOT, "4 scale %,d tasks / %,d keys x %d", tasks, keys, perKey);
    try (Simulator sim =
        Simulator.builder()
            .latency(Duration.ofMillis(20), Duration.ofMillis(10))
            .keepLog(false)
            .start()) {
      warmUp(sim, 50, 4);
      Rotator r = Rotator.keys(keys(keys)).slots(perKey).every(d).baseUrl(sim.baseUrl());
      AtomicLong liveMidRun = new AtomicLong();
      Thread sampler =
          Thread.ofPlatform()
              .daemon()
              .start(
                  () -> {
                    try {
                      while (r.stats().done() < tasks / 2) Thread.sleep(50);
                      System.gc();
                      liveMidRun.set(
                          ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    }
                  });
      long t0 = System.nanoTime();
      Table t = r.run(prompts(tasks));
      double seconds = (System.nanoTime() - t0) / 1e9;
      sampler.join();
      if (t.booleanColumn("success").countTrue() != tasks)
        throw new IllegalStateException("not every task succeeded");
      double rate = startRate(starts(r.stats().timeline()));
      result(part, "wall s", seconds, "", Double.NaN);
      result(part, "req/s", rate, fmt(limit) + " (slots/every)", rate / limit);
      result(part, "live heap MiB at mid-run", liveMidRun.get() / 1048576.0, "", Double.NaN);
      result(part, "peak RSS MiB", vmHwmKb() / 1024.0, "", Double.NaN);
    }
  }

  static long vmHwmKb() throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmHWM:")) return Long.parseLong(line.replaceAll("\\D+", ""));
    }
    return -1;
  }

  /** Resuming from a checkpoint of n finished tasks: read, match hashes, build the whole table. */
  static void resume(int n) throws Exception {
    Path dir = Files.createTempDirectory("gkr-bench");
    Path cp = dir.resolve("resume.checkpoint.jsonl");
    Rotator r = Rotator.keys("bench-key-resume-0001").baseUrl("http://127.0.0.1:9").checkpoint(cp);
    Settings s = r.settings();
    List<String> prompts = prompts(n);
    Map<String, Object> none = new HashMap<>();
    long t0 = System.nanoTime();
    try (Checkpoint c = Checkpoint.open(cp, m -> {}, Clock.SYSTEM)) {
      for (int i = 0; i < n; i++) {
        Task task = new Task(Integer.toString(i + 1), prompts.get(i), none);
        TaskResult tr =
            TaskResult.builder(task.id())
                .success(true)
                .response("answer " + i)
                .attempt(1, "key-1…0001", 1, 120)
                .finishReason("STOP")
                .promptTokens(8)
                .outputTokens(12)
                .totalTokens(20)
                .build();
        c.append(task, TaskHash.of(s, task), tr);
      }
    }
    double writeSeconds = (System.nanoTime() - t0) / 1e9;
    result(
        "5 checkpoint",
        "append µs/result (" + String.format(Locale.ROOT, "%,d", n) + " appends, write+flush each)",
        writeSeconds * 1e6 / n,
        "",
        Double.NaN);
    t0 = System.nanoTime();
    Table t = r.run(prompts);
    double seconds = (System.nanoTime() - t0) / 1e9;
    if (t.rowCount() != n || r.stats().restored() != n)
      throw new IllegalStateException("resume did not restore every task");
    result(
        "5 checkpoint",
        String.format(Locale.ROOT, "resume %,d finished tasks, s", n),
        seconds,
        "10 (target)",
        seconds / 10);
    Files.deleteIfExists(cp);
    Files.deleteIfExists(dir);
  }

  /**
   * The timing claims of the quota features, measured in real time (the tests check them exactly on
   * the fake clock or with wide margins): the plan's wall time against its replay in compressed
   * time, and the 429s a server counts when the limits are declared exactly at its quota (gkr keeps
   * 5 % headroom for arrival jitter).
   */
  static void quota() {
    Rotator r =
        Rotator.keys("rk1", "rk2", "rk3", "rk4")
            .project("p1", "rk1", "rk2")
            .project("p2", "rk3", "rk4")
            .slots(2)
            .limits(Limits.rpm(60).rpd(50));
    PlanReplay replay = r.plan(prompts(150)).replay(60, dev.gkr.sim.SimulatorReplay::start);
    double estimated = replay.plan().wallTime().orElseThrow().toMillis();
    double measured = replay.replayedWallTime().toMillis();
    result(
        "7 quota",
        "plan replay wall time s (60x compressed, scaled back)",
        measured / 1e3,
        fmt(estimated / 1e3) + " s (plan)",
        measured / estimated);
    int refused = 0, sent = 0;
    for (int round = 0; round < 3; round++) {
      try (Simulator sim =
          Simulator.builder()
              .project("p", dev.gkr.sim.Quota.per(10, Duration.ofSeconds(1)), "qk-a1", "qk-b2")
              .start()) {
        Rotator.keys("qk-a1", "qk-b2")
            .project("p", "qk-a1", "qk-b2")
            .slots(3)
            .limits(Limits.per(10, Duration.ofSeconds(1)))
            .baseUrl(sim.baseUrl())
            .run(prompts(60));
        refused += (int) sim.requests().stream().filter(q -> q.status() == 429).count();
        sent += sim.requests().size();
      }
    }
    result(
        "7 quota",
        "429s with limits declared at the quota (3 x 60 tasks at 10/s)",
        refused,
        "0 (target) of " + sent + " requests",
        Double.NaN);
  }

  /**
   * JMH: one fork, 2 warm-up and 3 measured iterations of 1 s each (wide error bars on 2 cores; see
   * JMH's output).
   */
  static void micro() throws Exception {
    var opts =
        new org.openjdk.jmh.runner.options.OptionsBuilder()
            .include(MicroBench.class.getName())
            .forks(1)
            .warmupIterations(2)
            .warmupTime(org.openjdk.jmh.runner.options.TimeValue.seconds(1))
            .measurementIterations(3)
            .measurementTime(org.openjdk.jmh.runner.options.TimeValue.seconds(1))
            .jvmArgsAppend("-Xmx1g")
            .build();
    int corpus = MicroBench.corpusSize();
    for (var r : new org.openjdk.jmh.runner.Runner(opts).run()) {
      String name = r.getParams().getBenchmark();
      double usPerOp = r.getPrimaryResult().getScore();
      double err = r.getPrimaryResult().getScoreError();
      if (name.endsWith("checkpointAppend")) {
        result("5 checkpoint (JMH)", "append µs/result ± " + fmt(err), usPerOp, "", Double.NaN);
      } else {
        double perSecond = corpus / (usPerOp / 1e6);
        result(
            "6 JSON repair (JMH)",
            "answers/s over the " + corpus + "-case corpus",
            perSecond,
            "µs per corpus pass " + fmt(usPerOp) + " ± " + fmt(err),
            Double.NaN);
      }
    }
  }

  static String fmt(double v) {
    return String.format(Locale.ROOT, "%.2f", v);
  }

  /**
   * The sample batch (samples/tasks.csv, 40 prompts) priced in each mode, on the simulator:
   * standard, Flex and Batch Mode, each against the standard bill of the same answers measured in
   * the same run (issue 19).
   */
  static void cost() throws Exception {
    Table tasks = Results.read(java.nio.file.Path.of("samples/tasks.csv"));
    FakeClock clock = new FakeClock();
    try (Simulator sim =
        Simulator.builder()
            .clock(clock::nanoTime)
            .batchTiming(Duration.ofMinutes(10), Duration.ofMinutes(30))
            .start()) {
      double standard = total(Rotator.keys("bench-cost-0001").baseUrl(sim.baseUrl()).run(tasks));
      double flex =
          total(
              Rotator.keys("bench-cost-0001")
                  .baseUrl(sim.baseUrl())
                  .cost(Cost.builder().serviceTier("flex").build())
                  .run(tasks));
      double batch =
          total(
              Rotator.keys("bench-cost-0001")
                  .baseUrl(sim.baseUrl())
                  .clock(clock)
                  .batchMode(
                      BatchMode.builder()
                          .mode(Mode.BATCH)
                          .polling(Duration.ofSeconds(5), Duration.ofMinutes(5))
                          .build())
                  .run(tasks));
      String base = String.format(Locale.ROOT, "standard $%.6f", standard);
      result("9 cost of the sample batch", "USD, sync standard", standard, base, 1.0);
      result("9 cost of the sample batch", "USD, sync flex", flex, base, flex / standard);
      result("9 cost of the sample batch", "USD, batch mode", batch, base, batch / standard);
    }
  }

  private static double total(Table results) {
    return results.doubleColumn("cost_usd").sum();
  }

  /**
   * Requests sent into a two-minute 503 storm (issue 17), in compressed real time (20x): 10 keys x
   * 4 slots every 2 s, 2,000 tasks, simulated latency 10 ms (200 ms compressed), the storm from
   * second 20. gkr's run-wide throttle (one probe at a time, growing backoff) against the same
   * engine with per-task retry only (each task backs off alone, 1 s doubling to 30 s, while the
   * slots keep sending other tasks): the naive rotator's behaviour. Both must end with every task
   * succeeded.
   */
  static void storm() {
    long[] gkr = stormWaste(true);
    long[] naive = stormWaste(false);
    result(
        "8 overload storm 2m",
        "requests into the storm (503s), run-wide throttle",
        gkr[0],
        naive[0] + " (per-task retry, same engine)",
        (double) gkr[0] / naive[0]);
    result(
        "8 overload storm 2m",
        "tasks succeeded, run-wide throttle",
        gkr[1],
        naive[1] + " (per-task retry)",
        (double) gkr[1] / naive[1]);
  }

  private static long[] stormWaste(boolean throttle) {
    ScaledClock clock = new ScaledClock(20);
    dev.gkr.sim.Storm storm =
        dev.gkr.sim.Storm.of(
            dev.gkr.sim.Storm.Kind.OVERLOADED, Duration.ofSeconds(20), Duration.ofMinutes(2));
    try (Simulator sim =
        Simulator.builder()
            .latency(Duration.ofMillis(10), Duration.ofMillis(5))
            .clock(clock::nanoTime)
            .storm(storm)
            .start()) {
      Rotator r =
          Rotator.keys(keys(10))
              .slots(4)
              .every("2s")
              .baseUrl(sim.baseUrl())
              .clock(clock)
              .runThrottle(throttle);
      Table t = r.run(prompts(2_000));
      long wasted = sim.requests().stream().filter(q -> q.status() == 503).count();
      return new long[] {wasted, t.booleanColumn("success").countTrue()};
    }
  }

  /**
   * Issue 26: a two-minute 503 storm on the run's model only (gemini-2.5-pro), from 30 s after the
   * first request the simulator answers (a first stretch of real work, however long the client took
   * to start), with a healthy fallback (gemini-2.5-flash) after the default 60 s, against the same
   * run without a fallback. Three alternating pairs (with, without, with, ...); reported: the
   * median of the pairs' completion-time ratios (compressed clock), the median completion times,
   * the median requests sent into the storm, and the rows per model of the median run with the
   * fallback. Every task must succeed once in every run.
   */
  static void fallback() {
    int pairs = 3;
    long[][] with = new long[pairs][], without = new long[pairs][];
    double[] ratios = new double[pairs];
    fallbackRun(true, 400); // warm-up, not measured: the JVM's first run is the slowest
    for (int i = 0; i < pairs; i++) {
      with[i] = fallbackRun(true, 2_000);
      without[i] = fallbackRun(false, 2_000);
      ratios[i] = (double) with[i][0] / without[i][0];
    }
    String part = "10 storm on the model 2m, fallback";
    double tWith = median(column(with, 0)) / 1e9, tWithout = median(column(without, 0)) / 1e9;
    result(
        part,
        "completion time (s), fallback after 60s (median of " + pairs + " pairs)",
        tWith,
        fmt(tWithout) + " s without (median); pair ratios " + fmtAll(ratios),
        median(ratios));
    double sWith = median(column(with, 1)), sWithout = median(column(without, 1));
    result(
        part,
        "requests into the storm (503s, median), fallback",
        sWith,
        fmt(sWithout) + " without",
        sWith / sWithout);
    long[] mid = medianRun(with);
    result(
        part,
        "rows answered by gemini-2.5-pro (median run)",
        mid[2],
        "2000 tasks",
        mid[2] / 2000.0);
    result(
        part,
        "rows answered by gemini-2.5-flash (median run)",
        mid[3],
        "2000 tasks",
        mid[3] / 2000.0);
    double okWith = Arrays.stream(column(with, 4)).min().orElse(0);
    double okWithout = Arrays.stream(column(without, 4)).min().orElse(0);
    result(
        part,
        "tasks succeeded (fewest of " + pairs + "), fallback",
        okWith,
        fmt(okWithout) + " without",
        okWith / okWithout);
  }

  private static double[] column(long[][] runs, int i) {
    return Arrays.stream(runs).mapToDouble(r -> r[i]).toArray();
  }

  /** The run whose completion time is the median. */
  private static long[] medianRun(long[][] runs) {
    long[][] c = runs.clone();
    Arrays.sort(c, java.util.Comparator.comparingLong(r -> r[0]));
    return c[c.length / 2];
  }

  private static String fmtAll(double[] v) {
    return String.join(
        " ", Arrays.stream(v).mapToObj(x -> String.format(Locale.ROOT, "%.3f", x)).toList());
  }

  private static long[] fallbackRun(boolean fallback, int tasks) {
    ScaledClock clock = new ScaledClock(20);
    dev.gkr.sim.Storm storm =
        dev.gkr.sim.Storm.of(
                dev.gkr.sim.Storm.Kind.OVERLOADED, Duration.ofSeconds(30), Duration.ofMinutes(2))
            .model("gemini-2.5-pro")
            .countedFromFirstRequest();
    try (Simulator sim =
        Simulator.builder()
            .latency(Duration.ofMillis(10), Duration.ofMillis(5))
            .clock(clock::nanoTime)
            .storm(storm)
            .start()) {
      Rotator r =
          Rotator.keys(keys(10))
              .model("gemini-2.5-pro")
              .slots(4)
              .every("2s")
              .baseUrl(sim.baseUrl())
              .clock(clock);
      if (fallback) r.fallbackModels("gemini-2.5-flash");
      Table t = r.run(prompts(tasks));
      // From the first request the simulator answered to the last: the run's start-up is not in it.
      List<dev.gkr.sim.SimRequest> rs = sim.requests();
      long first = rs.stream().mapToLong(q -> q.nanos()).min().orElse(0);
      long last = rs.stream().mapToLong(q -> q.nanos()).max().orElse(0);
      long wasted = rs.stream().filter(q -> q.status() == 503).count();
      return new long[] {
        (last - first) * 20, // the simulator logs real time; the run's clock is 20x
        wasted,
        t.stringColumn("model").isEqualTo("gemini-2.5-pro").size(),
        t.stringColumn("model").isEqualTo("gemini-2.5-flash").size(),
        t.booleanColumn("success").countTrue()
      };
    }
  }
}
