package dev.gkr.internal.table;

import dev.gkr.Task;
import dev.gkr.internal.common.Numbers;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.ToIntFunction;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * Builds the results table: one row per task in input order, the fixed columns, then the task's
 * metadata.
 */
public final class ResultTable {
  private ResultTable() {}

  /** One fixed column: its name, type and the value of a task's cell ({@code null}: missing). */
  private record Spec(String name, ColumnType type, BiFunction<Task, TaskResult, Object> value) {}

  /** The fixed columns in order; {@code json} last, present only in JSON mode. */
  private static final List<Spec> COLUMNS =
      List.of(
          new Spec("id", ColumnType.STRING, (t, r) -> t.id()),
          new Spec("prompt", ColumnType.STRING, (t, r) -> t.prompt()),
          new Spec("success", ColumnType.BOOLEAN, (t, r) -> r.success()),
          new Spec("response", ColumnType.STRING, (t, r) -> r.response()),
          new Spec("error_type", ColumnType.STRING, (t, r) -> r.errorType()),
          new Spec("error", ColumnType.STRING, (t, r) -> r.error()),
          new Spec("attempts", ColumnType.INTEGER, (t, r) -> r.attempts()),
          new Spec("key", ColumnType.STRING, (t, r) -> r.key()),
          new Spec("slot", ColumnType.INTEGER, (t, r) -> r.slot() > 0 ? r.slot() : null),
          new Spec(
              "latency_ms", ColumnType.LONG, (t, r) -> r.attempts() > 0 ? r.latencyMs() : null),
          new Spec("finish_reason", ColumnType.STRING, (t, r) -> r.finishReason()),
          tokens("prompt_tokens", TaskResult::promptTokens),
          tokens("output_tokens", TaskResult::outputTokens),
          tokens("thoughts_tokens", TaskResult::thoughtsTokens),
          tokens("cached_tokens", TaskResult::cachedTokens),
          tokens("total_tokens", TaskResult::totalTokens),
          new Spec("model", ColumnType.STRING, (t, r) -> r.model()),
          new Spec("model_version", ColumnType.STRING, (t, r) -> r.modelVersion()),
          // an unknown price is an empty cell, never a guess
          new Spec(
              "cost_usd",
              ColumnType.DOUBLE,
              (t, r) -> Double.isNaN(r.costUsd()) ? null : Numbers.roundUsd(r.costUsd())),
          new Spec("service_tier", ColumnType.STRING, (t, r) -> r.serviceTier()),
          new Spec("json", ColumnType.STRING, (t, r) -> r.json()));

  /** Token counts are known only for an answer: a failed row's are missing, not 0. */
  private static Spec tokens(String name, ToIntFunction<TaskResult> count) {
    return new Spec(name, ColumnType.INTEGER, (t, r) -> r.success() ? count.applyAsInt(r) : null);
  }

  /** The fixed columns' names and types, in order, as {@link #build} makes them. */
  public static java.util.LinkedHashMap<String, ColumnType> columnTypes(boolean withJson) {
    java.util.LinkedHashMap<String, ColumnType> out = new java.util.LinkedHashMap<>();
    for (Spec c : COLUMNS) if (withJson || !c.name().equals("json")) out.put(c.name(), c.type());
    return out;
  }

  public static Table build(
      String name, List<Task> tasks, List<TaskResult> results, boolean withJson) {
    List<Spec> specs = COLUMNS.stream().filter(c -> withJson || !c.name().equals("json")).toList();
    Column<?>[] columns = new Column<?>[specs.size()];
    for (int c = 0; c < columns.length; c++)
      columns[c] = specs.get(c).type().create(specs.get(c).name());
    for (int i = 0; i < tasks.size(); i++) { // row by row: each result is read once (a million)
      Task t = tasks.get(i);
      TaskResult r = results.get(i);
      for (int c = 0; c < columns.length; c++)
        columns[c].appendObj(specs.get(c).value().apply(t, r));
    }
    Table table = Table.create(name, columns);
    for (Column<?> c : metadataColumns(tasks)) {
      if (!table.columnNames().contains(c.name())) table.addColumns(c);
    }
    return table;
  }

  /** Metadata columns typed from their values ({@link TypedColumn}). */
  private static List<Column<?>> metadataColumns(List<Task> tasks) {
    Set<String> names = new LinkedHashSet<>();
    for (Task t : tasks) names.addAll(t.metadata().keySet());
    List<Column<?>> out = new ArrayList<>();
    for (String name : names)
      out.add(TypedColumn.of(name, tasks.stream().map(t -> t.metadata().get(name)).toList()));
    return out;
  }
}
