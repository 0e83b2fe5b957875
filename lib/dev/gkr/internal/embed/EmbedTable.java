package dev.gkr.internal.embed;

import dev.gkr.Task;
import dev.gkr.internal.cost.PriceTier;
import dev.gkr.internal.cost.Prices;
import dev.gkr.internal.table.ResultTable;
import dev.gkr.internal.table.TaskResult;
import java.util.List;
import tech.tablesaw.api.Table;

/**
 * The results of an embedding run: the generation's columns that mean something here, with {@code
 * prompt} named {@code text} and {@code response} named {@code embedding}, a JSON array of numbers
 * (Tablesaw has no vector column; the writers turn it into a Parquet list of floats or a JSONL
 * array).
 */
public final class EmbedTable {
  /** Columns of generation that an embedding never fills ({@code service_tier}: unless batch). */
  private static final List<String> UNUSED =
      List.of(
          "slot",
          "finish_reason",
          "output_tokens",
          "thoughts_tokens",
          "cached_tokens",
          "total_tokens",
          "service_tier");

  private EmbedTable() {}

  static Table build(List<Task> tasks, List<TaskResult> results) {
    Table t = ResultTable.build("embeddings", tasks, results, false);
    for (String c : UNUSED)
      if (t.columnNames().contains(c)
          && (!c.equals("service_tier") || t.column(c).countMissing() == t.rowCount()))
        t.removeColumns(c);
    t.column("prompt").setName("text");
    t.column("response").setName("embedding");
    return t;
  }

  /**
   * A text's row, billed per input token at the model's embedding price of {@code tier} (Gemini's
   * batchEmbedContents reports no usage: the tokens are gkr's estimate, as for pacing).
   */
  static TaskResult.Builder row(
      String id, float[] vector, String model, long tokens, Prices p, PriceTier tier) {
    double cost = p.cost(model, new Prices.Usage(tokens, 0, 0, 0), tier);
    return TaskResult.builder(id)
        .success(true)
        .response(json(vector))
        .promptTokens((int) tokens)
        .totalTokens((int) tokens)
        .modelVersion(model)
        .costUsd(cost);
  }

  /** A vector as the {@code embedding} cell holds it. */
  static String json(float[] v) {
    StringBuilder b = new StringBuilder(v.length * 12).append('[');
    for (int i = 0; i < v.length; i++) {
      if (i > 0) b.append(',');
      b.append(v[i]);
    }
    return b.append(']').toString();
  }
}
