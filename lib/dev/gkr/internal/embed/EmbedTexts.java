package dev.gkr.internal.embed;

import dev.gkr.Embedding;
import dev.gkr.Task;
import dev.gkr.internal.common.Sha256;
import dev.gkr.internal.common.Tokens;
import dev.gkr.internal.request.TaskInputs;
import dev.gkr.internal.store.Checkpoint;
import dev.gkr.internal.table.TaskResult;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import tech.tablesaw.api.Table;

/**
 * The texts of an embedding run, by index in input order: id, text, estimated tokens, title, the
 * checkpoint hash of what its vector depends on (settings, title, text), and the row it ends with.
 * Guarded by the {@link EmbedRun}'s lock while its slots run; {@link EmbedBatch} uses it before and
 * after them, from the run's own thread.
 */
final class EmbedTexts {
  private final List<Task> tasks;
  private final String[] texts;
  private final long[] tokens;
  private final String[] titles;
  private final String[] hashes;
  private final TaskResult[] results;
  private final boolean[] restored;
  private final Map<String, Integer> index = new HashMap<>();

  EmbedTexts(List<?> items, Embedding how) {
    this.tasks = TaskInputs.fromList(Objects.requireNonNull(items, "tasks"));
    int n = this.tasks.size();
    this.texts = tasks.stream().map(Task::prompt).toArray(String[]::new);
    this.tokens = Arrays.stream(texts).mapToLong(t -> Tokens.estimate(t, "")).toArray();
    this.titles = new String[n];
    this.hashes = new String[n];
    this.results = new TaskResult[n];
    this.restored = new boolean[n];
    for (int i = 0; i < n; i++) {
      Task t = this.tasks.get(i);
      titles[i] =
          how.titleColumn().map(c -> String.valueOf(t.metadata().getOrDefault(c, ""))).orElse("");
      hashes[i] = Sha256.hex(Packs.settings(how) + "|" + titles[i] + "|" + texts[i], 8);
      index.putIfAbsent(t.id(), i);
    }
  }

  int size() {
    return texts.length;
  }

  Task task(int i) {
    return tasks.get(i);
  }

  String id(int i) {
    return tasks.get(i).id();
  }

  String text(int i) {
    return texts[i];
  }

  /** gkr's estimate of the text's input tokens (batchEmbedContents reports none). */
  long tokens(int i) {
    return tokens[i];
  }

  long[] tokens() {
    return tokens;
  }

  String title(int i) {
    return titles[i];
  }

  String hash(int i) {
    return hashes[i];
  }

  long bytes(int i) {
    return texts[i].getBytes(StandardCharsets.UTF_8).length + titles[i].length();
  }

  /** The index of the text of this id, or null. */
  Integer indexOf(String id) {
    return index.get(id);
  }

  TaskResult result(int i) {
    return results[i];
  }

  /** The text's final row, written to the checkpoint (when there is one) at once. */
  void finished(int i, TaskResult r, Checkpoint checkpoint) {
    results[i] = r;
    if (checkpoint != null) checkpoint.append(tasks.get(i), hashes[i], r);
  }

  /**
   * Restores the texts an earlier run finished (same text and settings; a failure only without
   * {@code retryFailed}), charging their cost to {@code budget}; returns the indexes left to embed.
   */
  List<Integer> restore(Map<String, Checkpoint.Entry> done, boolean retryFailed, Budget budget) {
    List<Integer> todo = new java.util.ArrayList<>();
    for (int i = 0; i < size(); i++) {
      Checkpoint.Entry e = done.get(id(i));
      if (e != null && e.hash().equals(hash(i)) && (e.result().success() || !retryFailed)) {
        results[i] = e.result();
        restored[i] = true;
        budget.spent(e.result().costUsd());
      } else todo.add(i);
    }
    return todo;
  }

  boolean wasRestored(int i) {
    return restored[i];
  }

  /** A row not checkpointed: a rerun sends the text again. */
  void left(int i, TaskResult r) {
    results[i] = r;
  }

  /** One row per text in input order ({@link EmbedTable}). */
  Table table() {
    return EmbedTable.build(tasks, Arrays.asList(results));
  }
}
