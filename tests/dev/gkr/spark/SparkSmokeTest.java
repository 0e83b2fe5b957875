package dev.gkr.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

class SparkSmokeTest {
  @Test
  void localSessionMapsAndWritesParquet(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
    SparkSession spark =
        SparkSession.builder()
            .master("local[2]")
            .appName("smoke")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "2")
            .getOrCreate();
    try {
      Dataset<Integer> ds = spark.createDataset(List.of(1, 2, 3), Encoders.INT());
      Dataset<Integer> doubled = ds.map((MapFunction<Integer, Integer>) x -> x * 2, Encoders.INT());
      assertEquals(List.of(2, 4, 6), doubled.collectAsList());
      String p = dir.resolve("out.parquet").toString();
      doubled.write().parquet(p);
      assertEquals(3, spark.read().parquet(p).count());
    } finally {
      spark.stop();
    }
  }
}
