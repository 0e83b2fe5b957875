package dev.gkr;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * Builds the results table: one row per task in input order, the fixed columns, then the task's
 * metadata.
 */
final class ResultTable {
  private ResultTable() {}

  static Table build(String name, List<Task> tasks, List<TaskResult> results, boolean withJson) {
    int n = tasks.size();
    StringColumn id = StringColumn.create("id");
    StringColumn prompt = StringColumn.create("prompt");
    BooleanColumn success = BooleanColumn.create("success");
    StringColumn response = StringColumn.create("response");
    StringColumn errorType = StringColumn.create("error_type");
    StringColumn error = StringColumn.create("error");
    IntColumn attempts = IntColumn.create("attempts");
    StringColumn key = StringColumn.create("key");
    IntColumn slot = IntColumn.create("slot");
    LongColumn latency = LongColumn.create("latency_ms");
    StringColumn finish = StringColumn.create("finish_reason");
    IntColumn promptTokens = IntColumn.create("prompt_tokens");
    IntColumn outputTokens = IntColumn.create("output_tokens");
    IntColumn thoughtsTokens = IntColumn.create("thoughts_tokens");
    IntColumn cachedTokens = IntColumn.create("cached_tokens");
    IntColumn totalTokens = IntColumn.create("total_tokens");
    StringColumn modelVersion = StringColumn.create("model_version");
    DoubleColumn cost = DoubleColumn.create("cost_usd");
    StringColumn tier = StringColumn.create("service_tier");
    StringColumn json = StringColumn.create("json");
    for (int i = 0; i < n; i++) {
      Task t = tasks.get(i);
      TaskResult r = results.get(i);
      id.append(t.id());
      prompt.append(t.prompt());
      success.append(r.success());
      response.append(r.response());
      errorType.append(r.errorType());
      error.append(r.error());
      attempts.append(r.attempts());
      key.append(r.key());
      if (r.slot() > 0) slot.append(r.slot());
      else slot.appendMissing();
      if (r.attempts() > 0) latency.append(r.latencyMs());
      else latency.appendMissing();
      finish.append(r.finishReason());
      if (r.success()) {
        promptTokens.append(r.promptTokens());
        outputTokens.append(r.outputTokens());
        thoughtsTokens.append(r.thoughtsTokens());
        cachedTokens.append(r.cachedTokens());
        totalTokens.append(r.totalTokens());
      } else {
        promptTokens.appendMissing();
        outputTokens.appendMissing();
        thoughtsTokens.appendMissing();
        cachedTokens.appendMissing();
        totalTokens.appendMissing();
      }
      modelVersion.append(r.modelVersion());
      if (Double.isNaN(r.costUsd())) cost.appendMissing();
      else cost.append(Prices.round(r.costUsd())); // unknown price: empty, never a guess
      tier.append(r.serviceTier());
      json.append(r.json());
    }
    Table table =
        Table.create(
            name,
            id,
            prompt,
            success,
            response,
            errorType,
            error,
            attempts,
            key,
            slot,
            latency,
            finish,
            promptTokens,
            outputTokens,
            thoughtsTokens,
            cachedTokens,
            totalTokens,
            modelVersion,
            cost,
            tier);
    if (withJson) table.addColumns(json);
    for (Column<?> c : metadataColumns(tasks)) {
      if (!table.columnNames().contains(c.name())) table.addColumns(c);
    }
    return table;
  }

  /**
   * Metadata columns typed from their values: all integers, all numbers, all booleans, else text.
   */
  private static List<Column<?>> metadataColumns(List<Task> tasks) {
    Set<String> names = new LinkedHashSet<>();
    for (Task t : tasks) names.addAll(t.metadata().keySet());
    Map<String, Column<?>> out = new LinkedHashMap<>();
    for (String name : names) {
      List<Object> values = tasks.stream().map(t -> t.metadata().get(name)).toList();
      out.put(name, column(name, values));
    }
    return List.copyOf(out.values());
  }

  /** Also types the columns of JSON and Parquet files read back ({@link JsonTables}). */
  static Column<?> column(String name, List<Object> values) {
    if (allOf(values, v -> v instanceof Integer || v instanceof Long || v instanceof Short)) {
      LongColumn c = LongColumn.create(name);
      values.forEach(
          v -> {
            if (v == null) c.appendMissing();
            else c.append(((Number) v).longValue());
          });
      return c;
    }
    if (allOf(values, v -> v instanceof Number)) {
      DoubleColumn c = DoubleColumn.create(name);
      values.forEach(
          v -> {
            if (v == null) c.appendMissing();
            else c.append(((Number) v).doubleValue());
          });
      return c;
    }
    if (allOf(values, v -> v instanceof Boolean)) {
      BooleanColumn c = BooleanColumn.create(name);
      values.forEach(
          v -> {
            if (v == null) c.appendMissing();
            else c.append((Boolean) v);
          });
      return c;
    }
    StringColumn c = StringColumn.create(name);
    values.forEach(v -> c.append(v == null ? "" : v.toString()));
    return c;
  }

  private static boolean allOf(List<Object> values, java.util.function.Predicate<Object> p) {
    boolean any = false;
    for (Object v : values) {
      if (v == null) continue;
      if (!p.test(v)) return false;
      any = true;
    }
    return any;
  }
}
