package dev.gkr.internal.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gkr.internal.common.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The explicit context caches a run has at Google, one per project, kept beside the checkpoint
 * ({@code <checkpoint>.caches.json}) so that a run killed before it could delete them is followed
 * by one that reuses or deletes them instead of paying twice. A project is written down before its
 * cache is created (its content hash, no name yet: a crash during the create call leaves a cache
 * that only its display name can find) and again with the name the API gave; it is dropped once the
 * cache is deleted; the file goes when the last one does. Without a checkpoint, in memory only.
 * Thread-safe: every change is written under one lock.
 */
public final class CacheJournal {
  /**
   * One project's cache: the hash of what it holds, and its name once created.
   *
   * @param name empty between the intent and the create call's answer
   * @param since when the cache was created, on the run's clock (empty before, or in a journal
   *     written before this was recorded): a rerun that reuses it bills its storage from then
   */
  public record Entry(
      String project, String hash, Optional<String> name, Optional<Instant> since) {}

  private final Path path; // null: in memory
  private final ReentrantLock lock = new ReentrantLock();
  private final Map<String, Entry> entries = new LinkedHashMap<>(); // guarded by lock

  private CacheJournal(Path path) {
    this.path = path;
  }

  /**
   * The journal at {@code path} (empty when there is none), or an in-memory one.
   *
   * @throws IllegalArgumentException for a file that is not a cache journal, naming it
   */
  public static CacheJournal load(Optional<Path> path) {
    CacheJournal j = new CacheJournal(path.orElse(null));
    if (path.isEmpty() || !Files.exists(path.get())) return j;
    try {
      JsonNode root = Json.MAPPER.readTree(path.get().toFile());
      for (JsonNode c : root.path("caches")) {
        String project = c.path("project").asText("");
        if (project.isEmpty()) throw new IOException("a cache without a project");
        String name = c.path("name").asText("");
        String since = c.path("since").asText("");
        j.entries.put(
            project,
            new Entry(
                project,
                c.path("hash").asText(""),
                name.isEmpty() ? Optional.empty() : Optional.of(name),
                since.isEmpty() ? Optional.empty() : Optional.of(Instant.parse(since))));
      }
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException(
          path.get()
              + ": not a gkr cache journal ("
              + String.valueOf(e.getMessage()).lines().findFirst().orElse("")
              + "); it lists the context caches of an earlier run: fix it, or delete it (those"
              + " caches then expire by their TTL)");
    }
    return j;
  }

  public List<Entry> entries() {
    lock.lock();
    try {
      return List.copyOf(entries.values());
    } finally {
      lock.unlock();
    }
  }

  /** Before the create call: a cache of {@code hash} may exist for {@code project} from now on. */
  public void intent(String project, String hash) {
    put(new Entry(project, hash, Optional.empty(), Optional.empty()));
  }

  /**
   * After the create call (or when an earlier run's cache is reused): its name, and when it was
   * created.
   */
  public void created(String project, String hash, String name, Instant since) {
    put(new Entry(project, hash, Optional.of(name), Optional.of(since)));
  }

  /** The project's cache is deleted (or was never created). */
  public void removed(String project) {
    lock.lock();
    try {
      if (entries.remove(project) != null) save();
    } finally {
      lock.unlock();
    }
  }

  private void put(Entry e) {
    lock.lock();
    try {
      entries.put(e.project(), e);
      save();
    } finally {
      lock.unlock();
    }
  }

  /** Under the lock. */
  private void save() {
    if (path == null) return;
    try {
      if (entries.isEmpty()) {
        Files.deleteIfExists(path);
        return;
      }
      ObjectNode root = Json.MAPPER.createObjectNode();
      root.put("about", "explicit context caches of a gkr run; a rerun reuses or deletes them");
      ArrayNode arr = root.putArray("caches");
      for (Entry e : entries.values()) {
        ObjectNode n = arr.addObject().put("project", e.project()).put("hash", e.hash());
        e.name().ifPresent(name -> n.put("name", name));
        e.since().ifPresent(t -> n.put("since", t.toString()));
      }
      Path tmp = path.resolveSibling(path.getFileName() + ".tmp");
      Files.writeString(tmp, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root));
      Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot write cache journal " + path + ": " + e.getMessage(), e);
    }
  }
}
