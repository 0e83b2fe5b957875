package dev.gkr.internal.call;

import com.google.genai.Client;
import com.google.genai.types.CachedContent;
import com.google.genai.types.Content;
import com.google.genai.types.CreateCachedContentConfig;
import com.google.genai.types.Part;
import dev.gkr.internal.common.ApiKey;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One explicit context cache per project (issue 28): created lazily by the first key of a project
 * that needs it, with the shared context files and the system instruction, used by every key of
 * that project, deleted by {@link #deleteAll} at the end of the run. A project whose create call
 * fails (free tier, below the model's minimum, anything) runs uncached. The other keys of a project
 * wait for its first key's create call; other projects do not. Not yet: a journal beside the
 * checkpoint, TTL extension, the cost decision, a notice. Thread-safe.
 */
final class ContextCaches {
  /** What one project's first key got: a cache, or nothing (run uncached). */
  private record Created(String name, Client client) {}

  /** Builds the context's parts with the key that will create the cache (uploads are per key). */
  interface ContextParts {
    List<Part> get() throws IOException;
  }

  private final String model;
  private final Optional<Content> system;
  private final List<String> projectOfKey;
  private final ConcurrentHashMap<String, CompletableFuture<Optional<Created>>> byProject =
      new ConcurrentHashMap<>();

  ContextCaches(String model, Optional<String> system, List<String> projectOfKey) {
    this.model = model;
    this.system = system.map(t -> Content.fromParts(Part.fromText(t)));
    this.projectOfKey = List.copyOf(projectOfKey);
  }

  /** The cache of {@code key}'s project, created now by it if its project has none yet. */
  Optional<String> name(ApiKey key, Client client, ContextParts parts) {
    String project = projectOfKey.get(key.index());
    CompletableFuture<Optional<Created>> mine = new CompletableFuture<>();
    CompletableFuture<Optional<Created>> first = byProject.putIfAbsent(project, mine);
    if (first != null) return first.join().map(Created::name);
    Optional<Created> c = Optional.empty();
    try {
      CreateCachedContentConfig.Builder b =
          CreateCachedContentConfig.builder()
              .contents(Content.builder().role("user").parts(parts.get()).build())
              .displayName("gkr context")
              .ttl(Duration.ofHours(1));
      system.ifPresent(b::systemInstruction);
      CachedContent cc = client.caches.create(model, b.build());
      c = cc.name().map(n -> new Created(n, client));
    } catch (IOException | RuntimeException e) {
      c = Optional.empty(); // this project runs uncached
    } finally {
      mine.complete(c); // whatever happened, the project's other keys stop waiting
    }
    return c.map(Created::name);
  }

  /** Deletes every cache this run created; a cache that cannot be deleted expires by its TTL. */
  void deleteAll() {
    for (CompletableFuture<Optional<Created>> f : byProject.values()) {
      Optional<Created> c = f.getNow(Optional.empty());
      if (c.isEmpty()) continue;
      try {
        c.get().client().caches.delete(c.get().name(), null);
      } catch (RuntimeException e) {
        // expires within the hour; nothing else to do at the end of a run
      }
    }
    byProject.clear();
  }
}
