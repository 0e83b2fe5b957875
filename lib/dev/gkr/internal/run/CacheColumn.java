package dev.gkr.internal.run;

import dev.gkr.internal.task.TaskState;
import java.util.List;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The {@code cache} column of a run that cached its shared part for some project: {@code inline} on
 * the row of a task that was sent without the cache because its own system instruction or config
 * (or a fallback model) conflicts with it; empty for the others, which were sent as their project's
 * decision says (the summary's {@code cache:} line). Placed after {@code cached_tokens}; a run
 * without a cache, or whose tasks file has a column of that name, gets none.
 */
final class CacheColumn {
  static final String NAME = "cache";

  private CacheColumn() {}

  static Table add(Table table, List<TaskState> sent, String model) {
    if (table.columnNames().contains(NAME)) return table; // the tasks file's own column wins
    String[] cells = new String[table.rowCount()];
    java.util.Arrays.fill(cells, "");
    for (TaskState t : sent) {
      boolean own = t.request() != null && t.request().overridden();
      String asked = t.result() == null ? null : t.result().model();
      boolean fallback = asked != null && !asked.isEmpty() && !asked.equals(model);
      if (own || fallback) cells[t.index()] = "inline";
    }
    table.insertColumn(table.columnIndex("cached_tokens") + 1, StringColumn.create(NAME, cells));
    return table;
  }
}
