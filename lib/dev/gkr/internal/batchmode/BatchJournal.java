package dev.gkr.internal.batchmode;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gkr.internal.common.Json;
import dev.gkr.internal.common.SideFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The batch jobs a run has at Google, beside the checkpoint ({@code <checkpoint>.batches.json}), so
 * that a rerun after a crash or Ctrl-C re-attaches to them instead of submitting the same tasks
 * again. A job is written before it is created, with an empty name and its unique display name: if
 * the process dies between the create call and the write of the name, the rerun finds the job by
 * its display name. Keys appear as their label and last four characters only. Every change rewrites
 * the file through a temporary file and an atomic move. Used by one thread.
 */
public final class BatchJournal {
  /**
   * One job: its resource name (empty while being created), display name, creating key (shown
   * form), tasks, and each task's checkpoint hash when it was submitted (a task changed since then
   * is not taken from the job).
   */
  public record Job(
      String name, String displayName, String key, List<String> tasks, List<String> hashes) {
    public Job {
      tasks = List.copyOf(tasks);
      hashes = List.copyOf(hashes);
    }

    public Job named(String n) {
      return new Job(n, displayName, key, tasks, hashes);
    }

    /**
     * Whether task {@code i} was submitted with this hash (a journal without hashes matches any).
     */
    public boolean sameAsSubmitted(int i, String hash) {
      return hashes.isEmpty() || hashes.get(i).equals(hash);
    }
  }

  private final Path path;
  private final List<Job> jobs;

  private BatchJournal(Path path, List<Job> jobs) {
    this.path = path;
    this.jobs = jobs;
  }

  public static Path besides(Path checkpoint) {
    return SideFiles.beside(checkpoint, SideFiles.BATCH_JOURNAL);
  }

  /**
   * The journal at {@code path}; empty when there is none. Null path: an in-memory journal (no
   * checkpoint).
   */
  public static BatchJournal load(Path path) {
    List<Job> jobs = new ArrayList<>();
    if (path != null && Files.exists(path)) {
      try {
        JsonNode root = Json.MAPPER.readTree(path.toFile());
        for (JsonNode j : root.path("jobs")) {
          List<String> tasks = new ArrayList<>();
          j.path("tasks").forEach(t -> tasks.add(t.asText()));
          List<String> hashes = new ArrayList<>();
          j.path("hashes").forEach(h -> hashes.add(h.asText()));
          if (!hashes.isEmpty() && hashes.size() != tasks.size())
            throw new IOException(
                "job " + j.path("name").asText() + ": tasks and hashes differ in length");
          jobs.add(
              new Job(
                  j.path("name").asText(""),
                  j.path("displayName").asText(""),
                  j.path("key").asText(""),
                  tasks,
                  hashes));
        }
      } catch (IOException e) {
        throw new IllegalArgumentException(
            path
                + ": not a gkr batch journal ("
                + e.getMessage().lines().findFirst().orElse("")
                + "); it lists the batch jobs of an earlier run: fix it, or delete it to forget those jobs");
      }
    }
    return new BatchJournal(path, jobs);
  }

  public List<Job> jobs() {
    return List.copyOf(jobs);
  }

  public void add(Job job) {
    jobs.add(job);
    save();
  }

  public void replace(Job old, Job now) {
    jobs.set(jobs.indexOf(old), now);
    save();
  }

  public void remove(Job job) {
    jobs.remove(job);
    save();
  }

  private void save() {
    if (path == null) return;
    if (jobs.isEmpty()) { // nothing left at Google: no file to puzzle over
      try {
        Files.deleteIfExists(path);
        return;
      } catch (IOException e) {
        throw new UncheckedIOException(
            "cannot delete batch journal " + path + ": " + e.getMessage(), e);
      }
    }
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.put("about", "Gemini batch jobs of a gkr run; rerun the same command to collect them");
    ArrayNode arr = root.putArray("jobs");
    for (Job j : jobs) {
      ObjectNode n =
          arr.addObject()
              .put("name", j.name())
              .put("displayName", j.displayName())
              .put("key", j.key());
      ArrayNode t = n.putArray("tasks");
      j.tasks().forEach(t::add);
      ArrayNode h = n.putArray("hashes");
      j.hashes().forEach(h::add);
    }
    try {
      Path tmp = path.resolveSibling(path.getFileName() + ".tmp");
      Files.writeString(tmp, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root));
      Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot write batch journal " + path + ": " + e.getMessage(), e);
    }
  }
}
