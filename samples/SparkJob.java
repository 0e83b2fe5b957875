///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 24+
//DESCRIPTION gkr on Apache Spark in local mode: a Parquet file of tasks in, a Parquet folder of results out
//DEPS dev.gkr:gkr:0.1.0-SNAPSHOT
//DEPS org.apache.spark:spark-sql_2.13:4.0.4
//DEPS org.apache.hadoop:hadoop-client-api:3.5.0
//DEPS org.apache.hadoop:hadoop-client-runtime:3.5.0
//JAVA_OPTIONS --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED
//JAVA_OPTIONS --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED
//JAVA_OPTIONS --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED
//JAVA_OPTIONS --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
//JAVA_OPTIONS --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
//JAVA_OPTIONS --add-opens=java.base/sun.nio.cs=ALL-UNNAMED --add-opens=java.base/sun.util.calendar=ALL-UNNAMED
//JAVA_OPTIONS --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED -Djdk.reflect.useDirectMethodHandle=false
//JAVA_OPTIONS --sun-misc-unsafe-memory-access=allow --enable-native-access=ALL-UNNAMED
//JAVA_OPTIONS -Dslf4j.provider=org.slf4j.nop.NOPServiceProvider -Dslf4j.internal.verbosity=WARN

import dev.gkr.Rotator;
import dev.gkr.sim.Simulator;
import dev.gkr.spark.GkrSpark;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code jbang SparkJob.java [tasks.parquet [results-folder]]}, once {@code scripts/install} has put gkr in
 * ~/.m2. Without a tasks file it writes a small one (id, prompt, a metadata column) first. Offline on the
 * simulator (eight keys, seven projects, so seven shards) unless GEMINI_API_KEYS is set; checkpoints in ./sparkjob-checkpoints, so a rerun
 * sends only what is missing. On a cluster, the same code runs under spark-submit (see the README).
 */
public class SparkJob {
  public static void main(String... args) {
    String tasksFile = args.length > 0 ? args[0] : "sparkjob-tasks.parquet";
    String resultsDir = args.length > 1 ? args[1] : "sparkjob-results.parquet";
    SparkSession spark = SparkSession.builder().master("local[4]").appName("gkr-spark-sample")
        .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "4").getOrCreate();
    spark.sparkContext().setLogLevel("ERROR");
    boolean offline = System.getenv("GEMINI_API_KEYS") == null;
    try (Simulator sim = offline ? Simulator.demo().start() : null) {
      if (args.length == 0) sampleTasks(spark).write().mode("overwrite").parquet(tasksFile);
      Rotator rotator = offline
          ? Rotator.keys(Simulator.DEMO_KEYS).baseUrl(sim.baseUrl())   // 7 projects: 7 shards
              .project("demo-shared", Simulator.DEMO_KEYS.get(6), Simulator.DEMO_KEYS.get(7))
          : Rotator.fromEnv();
      Dataset<Row> results = GkrSpark.generate(spark.read().parquet(tasksFile), rotator.slots(2), "sparkjob-checkpoints");
      results.write().mode("overwrite").parquet(resultsDir);
      Dataset<Row> back = spark.read().parquet(resultsDir);
      System.out.println(back.filter("success").count() + " of " + back.count() + " tasks answered; results in " + resultsDir);
      back.select("id", "success", "output_tokens", "cost_usd", "topic").orderBy("id").show(5, 60);
    } finally {
      spark.stop();
    }
  }

  private static Dataset<Row> sampleTasks(SparkSession spark) {
    StructType schema = DataTypes.createStructType(List.of(
        DataTypes.createStructField("id", DataTypes.StringType, false),
        DataTypes.createStructField("prompt", DataTypes.StringType, false),
        DataTypes.createStructField("topic", DataTypes.StringType, true)));
    List<Row> rows = new ArrayList<>();
    String[] topics = {"slots", "pacing", "quotas", "checkpoints"};
    for (int i = 1; i <= 20; i++) {
      String topic = topics[i % topics.length];
      rows.add(RowFactory.create(String.format("q%02d", i), "In one sentence: what are " + topic + " in gkr? (" + i + ")", topic));
    }
    return spark.createDataFrame(rows, schema);
  }
}
