package dev.gkr.internal.request;

import dev.gkr.Task;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tech.tablesaw.api.Row;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * Turns what users pass to {@code run} into validated {@link Task}s: plain strings, {@link Task}s,
 * maps with {@code prompt} (and optional {@code id}), or a Tablesaw table with a {@code prompt}
 * column. A missing id becomes the 1-based row number; ids must be unique and prompts non-empty.
 */
public final class TaskInputs {
  private TaskInputs() {}

  public static List<Task> fromList(List<?> items) {
    List<Task> out = new ArrayList<>(items.size());
    for (int i = 0; i < items.size(); i++) {
      Object o = items.get(i);
      int row = i + 1;
      out.add(
          switch (o) {
            case null -> throw new IllegalArgumentException("task " + row + ": is null");
            case String s -> new Task(Integer.toString(row), requirePrompt(s, row), Map.of());
            case Task t ->
                new Task(
                    t.id().isBlank() ? Integer.toString(row) : t.id(),
                    requirePrompt(t.prompt(), row),
                    t.metadata());
            case Map<?, ?> m -> fromMap(m, row);
            default ->
                throw new IllegalArgumentException(
                    "task "
                        + row
                        + ": expected a String, a Task or a Map, got "
                        + o.getClass().getName());
          });
    }
    return requireUniqueIds(out);
  }

  private static Task fromMap(Map<?, ?> m, int row) {
    Object prompt = m.get("prompt");
    if (prompt == null)
      throw new IllegalArgumentException("task " + row + ": has no 'prompt' field");
    Object id = m.get("id");
    Map<String, Object> meta = new LinkedHashMap<>();
    m.forEach(
        (k, v) -> {
          String name = String.valueOf(k);
          if (!name.equals("prompt") && !name.equals("id")) meta.put(name, v);
        });
    String idText = id == null || id.toString().isBlank() ? Integer.toString(row) : id.toString();
    return new Task(idText, requirePrompt(prompt.toString(), row), meta);
  }

  public static List<Task> fromTable(Table table) {
    if (!table.columnNames().contains("prompt")) {
      throw new IllegalArgumentException(
          "table '"
              + table.name()
              + "' has no 'prompt' column (columns: "
              + table.columnNames()
              + ")");
    }
    boolean hasId = table.columnNames().contains("id");
    List<Column<?>> meta =
        table.columns().stream()
            .filter(c -> !c.name().equals("prompt") && !c.name().equals("id"))
            .toList();
    List<Task> out = new ArrayList<>(table.rowCount());
    for (Row r : table) {
      int row = r.getRowNumber() + 1;
      Column<?> promptCol = table.column("prompt");
      String prompt =
          promptCol.isMissing(r.getRowNumber()) ? "" : promptCol.getString(r.getRowNumber());
      String id =
          hasId && !table.column("id").isMissing(r.getRowNumber())
              ? table.column("id").getString(r.getRowNumber())
              : "";
      Map<String, Object> m = new LinkedHashMap<>();
      for (Column<?> c : meta) m.put(c.name(), c.get(r.getRowNumber()));
      out.add(new Task(id.isBlank() ? Integer.toString(row) : id, requirePrompt(prompt, row), m));
    }
    return requireUniqueIds(out);
  }

  private static String requirePrompt(String prompt, int row) {
    if (prompt == null || prompt.isBlank())
      throw new IllegalArgumentException("task " + row + ": prompt is empty");
    return prompt;
  }

  private static List<Task> requireUniqueIds(List<Task> tasks) {
    Map<String, Integer> seen = new HashMap<>(tasks.size() * 2);
    for (int i = 0; i < tasks.size(); i++) {
      Integer first = seen.putIfAbsent(tasks.get(i).id(), i + 1);
      if (first != null) {
        throw new IllegalArgumentException(
            "task "
                + (i + 1)
                + ": duplicate id '"
                + tasks.get(i).id()
                + "' (first used by task "
                + first
                + ")");
      }
    }
    return tasks;
  }
}
