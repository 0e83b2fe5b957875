package dev.gkr.spark;

import dev.gkr.Rotator;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.spark.HashPartitioner;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.util.SerializableConfiguration;
import scala.Tuple2;

/**
 * gkr on Apache Spark: a Dataset of tasks in, a Dataset of results out.
 *
 * <pre>{@code
 * Rotator rotator = Rotator.keys(k1, k2, k3, k4)
 *     .project("p1", k1, k2).project("p2", k3, k4)
 *     .limits(Limits.rpm(1000));
 * Dataset<Row> results = GkrSpark.generate(spark.read().parquet("tasks"), rotator, "gs://b/ckpt");
 * results.write().parquet("results");
 * }</pre>
 *
 * <p>The rule that keeps quotas: tasks are spread over shards, each shard is one Spark task that
 * runs one gkr run over its own projects' keys, and a project's keys are in exactly one shard, so a
 * project's declared limits hold at the server however many executors run. Shards default to the
 * number of projects ({@link Shards#of} for fewer); a project with many keys is one shard with more
 * slots. Tasks go to shards by a hash of their {@code id}, weighted by each shard's capacity.
 *
 * <p>Exactly once: each shard keeps its checkpoint under {@code checkpointDir} (any Hadoop
 * FileSystem path). An attempt that Spark retries resumes its shard's checkpoint, and a rerun of
 * the job with the same directory sends only the tasks it does not hold; the directory records the
 * sharding and refuses a rerun that would shard differently. Speculative execution is refused: two
 * attempts of one shard would spend its quota twice.
 *
 * <p>The result is computed when an action runs; a second action reads the checkpoints and sends
 * nothing (persist the result to skip even that). A cost cap is split across shards by their task
 * counts; the job's cost is the sum of the {@code cost_usd} column. Listeners registered on the
 * rotator stay on the driver and hear nothing. Keys travel sealed ({@code toString} never shows
 * them), so they appear in no query plan, log, UI page or event log.
 */
public final class GkrSpark {
  private GkrSpark() {}

  /** {@link #generate(Dataset, Rotator, String, Shards)} with one shard per project. */
  public static Dataset<Row> generate(Dataset<Row> tasks, Rotator rotator, String checkpointDir) {
    return generate(tasks, rotator, checkpointDir, Shards.PER_PROJECT);
  }

  /**
   * Sends every task of {@code tasks} with the settings of {@code rotator} (keys, projects, limits,
   * pacing, model, request settings, retries, cost, Batch Mode) and returns one row per task:
   * {@code id}, {@code prompt}, the results file's columns, then the other task columns.
   *
   * @throws IllegalArgumentException for a missing or mistyped task column, a checkpoint directory
   *     written with another sharding
   * @throws IllegalStateException when {@code spark.speculation} is on
   */
  public static Dataset<Row> generate(
      Dataset<Row> tasks, Rotator rotator, String checkpointDir, Shards shards) {
    return generate(tasks, rotator, checkpointDir, shards, 0);
  }

  /** The same, with a test's fault: each shard's first attempt stops after so many answers. */
  static Dataset<Row> generate(
      Dataset<Row> tasks,
      Rotator rotator,
      String checkpointDir,
      Shards shards,
      int failFirstAttemptAfter) {
    Objects.requireNonNull(tasks, "tasks");
    Objects.requireNonNull(rotator, "rotator");
    Objects.requireNonNull(checkpointDir, "checkpointDir");
    Objects.requireNonNull(shards, "shards");
    SparkSession spark = tasks.sparkSession();
    refuseSpeculation(spark.sparkContext().getConf());
    ShardSettings settings = ShardSettings.of(rotator);
    Sharding sharding = settings.sharding(shards.count());
    SparkColumns columns = SparkColumns.of(tasks.schema(), settings.json());
    var hadoop = new SerializableConfiguration(spark.sparkContext().hadoopConfiguration());
    ShardCheckpoint.claim(checkpointDir, sharding, hadoop.value());
    JavaRDD<Row> rows = tasks.toJavaRDD();
    double[] caps = settings.maxCost().map(c -> split(c, rows, columns, sharding)).orElse(null);
    JavaRDD<Row> results =
        rows.mapToPair(r -> new Tuple2<>(sharding.shardOfTask(columns.id(r)), r))
            .partitionBy(new HashPartitioner(sharding.shards()))
            .mapPartitionsWithIndex(
                new ShardRun(
                    settings,
                    sharding,
                    columns,
                    checkpointDir,
                    hadoop,
                    caps,
                    failFirstAttemptAfter),
                true);
    return spark.createDataFrame(results, columns.output());
  }

  /** Speculative execution would run a second attempt of a shard beside the first. */
  static void refuseSpeculation(SparkConf conf) {
    if (conf.getBoolean("spark.speculation", false))
      throw new IllegalStateException(
          "gkr on Spark: spark.speculation is on; a speculative copy of a shard would send its"
              + " tasks a second time and spend its projects' quota twice. Turn it off for this"
              + " job (--conf spark.speculation=false)");
  }

  /** The cost cap of each shard: the run's cap in proportion to the shard's tasks. */
  static double[] split(double cap, JavaRDD<Row> rows, SparkColumns columns, Sharding sharding) {
    Map<Integer, Long> counts = rows.map(r -> sharding.shardOfTask(columns.id(r))).countByValue();
    long total = counts.values().stream().mapToLong(Long::longValue).sum();
    List<Double> out = new ArrayList<>();
    for (int s = 0; s < sharding.shards(); s++)
      out.add(total == 0 ? cap : cap * counts.getOrDefault(s, 0L) / total);
    return out.stream().mapToDouble(Double::doubleValue).toArray();
  }
}
