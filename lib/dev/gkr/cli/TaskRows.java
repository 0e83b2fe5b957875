package dev.gkr.cli;

import dev.gkr.Task;
import dev.gkr.internal.request.FileScope;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The tasks of one file as its rows are read, under the rules every format shares: the prompt is
 * not blank, the id (the task's number when the row has none) repeats no earlier row's, and the
 * task fields check out (its files inside the folders allowed). Each problem names the file, the
 * line and the field.
 */
final class TaskRows {
  private final String file;
  private final FileScope scope;
  private final List<Task> tasks = new ArrayList<>();
  private final Map<String, Long> lineOfId = new HashMap<>();

  TaskRows(String file, FileScope scope) {
    this.file = file;
    this.scope = scope;
  }

  /** Adds the row at {@code line}; a null or blank {@code id} numbers the task. */
  void add(long line, String id, String prompt, Map<String, Object> meta) throws InputException {
    if (prompt.isBlank())
      throw new InputException(file + " line " + line + ": field 'prompt' is empty");
    String taskId = id == null || id.isBlank() ? Integer.toString(tasks.size() + 1) : id;
    Long first = lineOfId.putIfAbsent(taskId, line);
    if (first != null)
      throw new InputException(
          file + " line " + line + ": field 'id' repeats '" + taskId + "' from line " + first);
    TaskFields.check(file, line, meta, scope);
    tasks.add(new Task(taskId, prompt, meta));
  }

  List<Task> tasks() {
    return tasks;
  }
}
