package dev.gkr.spark;

import dev.gkr.RotatorEvent;
import dev.gkr.Task;
import dev.gkr.internal.config.Settings;
import dev.gkr.internal.run.Run;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.sql.Row;
import org.apache.spark.util.SerializableConfiguration;
import scala.Tuple2;
import tech.tablesaw.api.Table;

/**
 * What one Spark task does with one shard: one gkr run over the shard's tasks with the keys of the
 * shard's projects, resuming from the shard's checkpoint, so a retried attempt (or a rerun of the
 * job) sends only the tasks the checkpoint does not hold. Runs on an executor; immutable.
 */
final class ShardRun
    implements Function2<Integer, Iterator<Tuple2<Integer, Row>>, Iterator<Row>>, Serializable {
  private static final long serialVersionUID = 1L;

  private final ShardSettings settings;
  private final Sharding sharding;
  private final SparkColumns columns;
  private final String checkpointDir;
  private final SerializableConfiguration hadoop;
  private final double[] caps; // each shard's cost cap; null: no cap
  private final int failFirstAttemptAfter; // a test's fault: 0 = none

  ShardRun(
      ShardSettings settings,
      Sharding sharding,
      SparkColumns columns,
      String checkpointDir,
      SerializableConfiguration hadoop,
      double[] caps,
      int failFirstAttemptAfter) {
    this.settings = settings;
    this.sharding = sharding;
    this.columns = columns;
    this.checkpointDir = checkpointDir;
    this.hadoop = hadoop;
    this.caps = caps == null ? null : caps.clone();
    this.failFirstAttemptAfter = failFirstAttemptAfter;
  }

  @Override
  public Iterator<Row> call(Integer shard, Iterator<Tuple2<Integer, Row>> rows) {
    List<Row> in = new ArrayList<>();
    List<Task> tasks = new ArrayList<>();
    while (rows.hasNext()) {
      Row row = rows.next()._2();
      in.add(row);
      tasks.add(columns.task(row));
    }
    if (tasks.isEmpty()) return List.<Row>of().iterator();
    Table table;
    boolean interrupted;
    AtomicBoolean faulted = new AtomicBoolean();
    try (ShardCheckpoint checkpoint = ShardCheckpoint.open(checkpointDir, shard, hadoop.value())) {
      Settings s =
          settings.forShard(
              sharding,
              shard,
              Optional.of(checkpoint.file()),
              caps == null ? Optional.empty() : Optional.of(caps[shard]),
              faults(faulted));
      table = new Run(s).run(tasks);
      // Cleared before the checkpoint is copied back: NIO channels refuse an interrupted thread.
      interrupted = Thread.interrupted();
    }
    // A stopped attempt (Spark kills one by marking its context and interrupting its thread): its
    // cancelled rows are not results, so it fails and its retry resumes the checkpoint. A run that
    // stopped at the cost cap is not stopped: its cancelled rows are its results.
    TaskContext context = TaskContext.get();
    if (interrupted || faulted.get() || (context != null && context.isInterrupted()))
      throw new IllegalStateException(
          "shard " + shard + " was stopped; its checkpoint keeps what was answered");
    List<Row> out = new ArrayList<>(in.size());
    for (int i = 0; i < in.size(); i++) out.add(columns.output(in.get(i), table, i));
    return out.iterator();
  }

  /** The test fault: the first attempt of a shard is interrupted after so many answers. */
  private List<Consumer<RotatorEvent>> faults(AtomicBoolean faulted) {
    TaskContext context = TaskContext.get();
    if (failFirstAttemptAfter == 0 || context == null || context.attemptNumber() > 0)
      return List.of();
    Thread worker = Thread.currentThread();
    AtomicInteger answered = new AtomicInteger();
    return List.of(
        e -> {
          if (e instanceof RotatorEvent.TaskDone
              && answered.incrementAndGet() == failFirstAttemptAfter) {
            faulted.set(true);
            worker.interrupt();
          }
        });
  }
}
