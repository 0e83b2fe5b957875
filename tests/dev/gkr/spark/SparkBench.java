package dev.gkr.spark;

import dev.gkr.Limits;
import dev.gkr.Rotator;
import dev.gkr.sim.Quota;
import dev.gkr.sim.SimRequest;
import dev.gkr.sim.Simulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;

/**
 * {@code scripts/bench spark}: gkr on Spark in local mode, 4 projects in 4 shards, each project's
 * quota 20 requests per second at the simulator and declared as such; throughput between the first
 * and the last arrival at the simulator (Spark's start-up excluded) against the 80 per second
 * ceiling. Not a test: Surefire does not pick it up.
 */
public final class SparkBench {
  private SparkBench() {}

  public static void main(String[] args) throws Exception {
    int perProject = 20;
    int tasks = 4 * perProject * 10; // ten seconds at the ceiling
    SparkSession spark =
        SparkSession.builder()
            .master("local[4]")
            .appName("gkr-spark-bench")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "4")
            .getOrCreate();
    Path dir = Files.createTempDirectory("gkr-spark-bench-");
    Quota quota = Quota.per(perProject, Duration.ofSeconds(1));
    try (Simulator sim =
        Simulator.builder()
            .project("p1", quota, "sbench-key-01")
            .project("p2", quota, "sbench-key-02")
            .project("p3", quota, "sbench-key-03")
            .project("p4", quota, "sbench-key-04")
            .start()) {
      Rotator r =
          Rotator.keys("sbench-key-01", "sbench-key-02", "sbench-key-03", "sbench-key-04")
              .slots(4)
              .limits(Limits.per(perProject, Duration.ofSeconds(1)))
              .baseUrl(sim.baseUrl());
      List<Row> rows = new ArrayList<>();
      for (int i = 0; i < tasks; i++) rows.add(RowFactory.create("b" + i, "bench prompt " + i));
      var schema =
          DataTypes.createStructType(
              List.of(
                  DataTypes.createStructField("id", DataTypes.StringType, false),
                  DataTypes.createStructField("prompt", DataTypes.StringType, false)));
      long ok =
          GkrSpark.generate(spark.createDataFrame(rows, schema), r, dir.toString())
              .filter("success")
              .count();
      List<SimRequest> log = sim.requests();
      long first = log.stream().mapToLong(SimRequest::nanos).min().orElse(0);
      long last = log.stream().mapToLong(SimRequest::nanos).max().orElse(0);
      double rate = (log.size() - 1) * 1e9 / (last - first);
      long refused = log.stream().filter(q -> q.status() == 429).count();
      double ceiling = 4.0 * perProject;
      System.out.printf(
          Locale.ROOT,
          "RESULT\t12 spark\tlocal[4], 4 shards: requests/s, first to last arrival (%d of %d ok,"
              + " %d refused)\t%.3f\t%.0f/s (4 projects' quota)\t%.3f%n",
          ok,
          tasks,
          refused,
          rate,
          ceiling,
          rate / ceiling);
    } finally {
      spark.stop();
    }
  }
}
