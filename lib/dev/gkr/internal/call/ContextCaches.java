package dev.gkr.internal.call;

import com.google.genai.Client;
import com.google.genai.types.CachedContent;
import com.google.genai.types.Content;
import com.google.genai.types.CreateCachedContentConfig;
import com.google.genai.types.ListCachedContentsConfig;
import com.google.genai.types.Part;
import com.google.genai.types.UpdateCachedContentConfig;
import dev.gkr.internal.common.ApiKey;
import dev.gkr.internal.common.Clock;
import dev.gkr.internal.common.Numbers;
import dev.gkr.internal.cost.CacheChoice;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One explicit context cache per project whose {@link CacheChoice} says cached: created lazily by
 * the first key of the project that needs it (the context files and the system instruction), used
 * by every key of that project, extended before it expires while the run lasts, created again once
 * when the API says it is gone, deleted by {@link #deleteAll} at the end of the run. Before the
 * create call the project is written in the {@link CacheSetup#journal}, and its name after, so the
 * rerun of a killed run first reuses a live cache of the same content (found by name or by its
 * display name, which carries the content's hash) and deletes any other. A project whose create
 * call fails (free tier, below the model's minimum, no room under the cost cap) runs inline, with
 * one notice. The other keys of a project wait for its first key's create call; other projects do
 * not. Storage is reserved against the cap for the planned TTL before creating, and billed at
 * deletion for the time the cache lived on the run's clock. Thread-safe.
 */
final class ContextCaches {
  private static final String DISPLAY = "gkr context ";

  /** A project's cache; one key at a time extends it ({@code extending}). */
  private static final class Live {
    final String project, name;
    final Client client;
    final long tokens, sinceNanos;
    final java.util.concurrent.atomic.DoubleAdder reservedUsd =
        new java.util.concurrent.atomic.DoubleAdder();
    final ReentrantLock extending = new ReentrantLock();
    final java.util.concurrent.atomic.AtomicLong expiresNanos =
        new java.util.concurrent.atomic.AtomicLong();

    Live(String project, String name, Client client, long tokens, long since, long ttl, double r) {
      this.project = project;
      this.name = name;
      this.client = client;
      this.tokens = tokens;
      this.sinceNanos = since;
      this.expiresNanos.set(since + ttl);
      this.reservedUsd.add(r);
    }
  }

  /** Builds the context's parts with the key that will create the cache (uploads are per key). */
  interface ContextParts {
    List<Part> get() throws IOException;
  }

  private final String model;
  private final Optional<Content> system;
  private final List<String> projectOfKey;
  private final CacheSetup setup;
  private final Clock clock;
  private final Classifier classifier;
  private final double storagePerTokenHour, savingPerToken; // USD; NaN unknown
  private final Map<String, CompletableFuture<Optional<Live>>> byProject =
      new ConcurrentHashMap<>();
  private final Set<String> recreated = ConcurrentHashMap.newKeySet();
  private final Map<String, String> said = new ConcurrentHashMap<>(); // why a project went inline
  private final Map<String, java.util.concurrent.atomic.DoubleAdder> storage =
      new ConcurrentHashMap<>();
  private final Map<String, java.util.concurrent.atomic.LongAdder> used = new ConcurrentHashMap<>();

  ContextCaches(
      String model,
      Optional<String> system,
      List<String> projectOfKey,
      CacheSetup setup,
      Clock clock,
      Classifier classifier,
      double storagePerMillionTokenHours,
      double savingPerMillionTokens) {
    this.classifier = classifier;
    this.savingPerToken = savingPerMillionTokens / 1e6;
    this.model = model;
    this.system = system.map(t -> Content.fromParts(Part.fromText(t)));
    this.projectOfKey = List.copyOf(projectOfKey);
    this.setup = setup;
    this.clock = clock;
    this.storagePerTokenHour = storagePerMillionTokenHours / 1e6;
  }

  /** The cache of {@code key}'s project, created now by it if its project has none yet. */
  Optional<String> name(ApiKey key, Client client, ContextParts parts) {
    String project = projectOfKey.get(key.index());
    Optional<CacheChoice> choice = setup.choice(project);
    if (choice.isEmpty() || !choice.get().cached()) return Optional.empty();
    CompletableFuture<Optional<Live>> mine = new CompletableFuture<>();
    CompletableFuture<Optional<Live>> first = byProject.putIfAbsent(project, mine);
    if (first != null) {
      Optional<Live> live = first.join();
      live.ifPresent(this::extendIfDue);
      return live.map(l -> l.name);
    }
    Optional<Live> c = Optional.empty();
    try {
      c = reuse(project, client);
      if (c.isEmpty()) c = create(project, client, parts, choice.get());
    } finally {
      mine.complete(c); // whatever happened, the project's other keys stop waiting
    }
    return c.map(l -> l.name);
  }

  /**
   * The API answered that the cache {@code name} is gone (expired, deleted): the first time for a
   * project, the next request creates it again; after that the project runs inline. True when the
   * request should be asked again.
   */
  boolean lost(ApiKey key, String name) {
    String project = projectOfKey.get(key.index());
    CompletableFuture<Optional<Live>> f = byProject.get(project);
    Optional<Live> live = f == null ? Optional.empty() : f.getNow(Optional.empty());
    if (live.isEmpty() || !live.get().name.equals(name)) return true; // replaced meanwhile
    bill(live.get());
    setup.journal().removed(project);
    if (recreated.add(project)) byProject.remove(project, f);
    else {
      byProject.put(project, CompletableFuture.completedFuture(Optional.empty()));
      notice(project, "its cache was lost twice");
    }
    return true;
  }

  /** Deletes every cache this run created or reused; one that cannot be deleted expires. */
  void deleteAll(List<Client> clients) {
    for (CompletableFuture<Optional<Live>> f : byProject.values()) {
      Optional<Live> c = f.getNow(Optional.empty());
      if (c.isEmpty()) continue;
      delete(c.get().client, c.get().name);
      bill(c.get());
      setup.journal().removed(c.get().project);
    }
    byProject.clear();
    deleteStale(clients, true); // an earlier run's, for a project that sent nothing this time
  }

  /**
   * Deletes the caches an earlier run left for projects this run does not cache, or with {@code
   * all} for every project left in the journal (the others are reused or deleted by their project's
   * first key).
   */
  void deleteStale(List<Client> clients, boolean all) {
    for (var e : setup.journal().entries()) {
      if (!all && setup.choice(e.project()).map(CacheChoice::cached).orElse(false)) continue;
      int k = projectOfKey.indexOf(e.project());
      if (k < 0) continue; // not this run's project: its cache expires by its TTL
      for (CachedContent cc : mine(clients.get(k), e)) delete(clients.get(k), name(cc));
      setup.journal().removed(e.project());
    }
  }

  /** An earlier run's live cache of the same content, kept; any other of its caches deleted. */
  private Optional<Live> reuse(String project, Client client) {
    var entry =
        setup.journal().entries().stream().filter(e -> e.project().equals(project)).findAny();
    if (entry.isEmpty()) return Optional.empty();
    Optional<Live> kept = Optional.empty();
    java.time.Instant since = null;
    for (CachedContent cc : mine(client, entry.get())) {
      if (kept.isEmpty() && entry.get().hash().equals(setup.hash())) {
        java.time.Instant now = clock.instant();
        // its storage runs since the killed run created it, not since now
        since = entry.get().since().or(cc::createTime).filter(t -> t.isBefore(now)).orElse(now);
        long age = Duration.between(since, now).toNanos();
        long left =
            cc.expireTime()
                .map(t -> Duration.between(now, t).toNanos())
                .orElse(CacheSetup.EXTEND_BEFORE.toNanos());
        kept =
            Optional.of(
                new Live(
                    project,
                    name(cc),
                    client,
                    tokens(cc, 0),
                    clock.nanoTime() - age,
                    age + left,
                    0));
      } else delete(client, name(cc));
    }
    if (kept.isPresent()) setup.journal().created(project, setup.hash(), kept.get().name, since);
    else setup.journal().removed(project);
    return kept;
  }

  /** The project's live caches that an entry of the journal names (by name or content hash). */
  private List<CachedContent> mine(Client client, dev.gkr.internal.store.CacheJournal.Entry e) {
    try {
      List<CachedContent> out = new java.util.ArrayList<>();
      for (CachedContent cc : client.caches.list(ListCachedContentsConfig.builder().build()))
        if (e.name().map(name(cc)::equals).orElse(false)
            || cc.displayName().orElse("").equals(DISPLAY + e.hash())) out.add(cc);
      return out;
    } catch (RuntimeException x) {
      return List.of(); // cannot look: whatever is there expires by its TTL
    }
  }

  private Optional<Live> create(
      String project, Client client, ContextParts parts, CacheChoice choice) {
    double reserve = Double.isNaN(choice.storageUsd()) ? 0 : choice.storageUsd();
    if (!setup.ledger().tryReserveStorage(reserve)) {
      notice(project, "the max cost leaves no room for its storage (" + Numbers.usd(reserve) + ")");
      return Optional.empty();
    }
    setup.journal().intent(project, setup.hash());
    try {
      CreateCachedContentConfig.Builder b =
          CreateCachedContentConfig.builder().displayName(DISPLAY + setup.hash()).ttl(choice.ttl());
      List<Part> files = parts.get();
      if (!files.isEmpty()) // a system instruction alone is cached without contents
      b.contents(Content.builder().role("user").parts(files).build());
      system.ifPresent(b::systemInstruction);
      CachedContent cc = client.caches.create(model, b.build());
      setup.journal().created(project, setup.hash(), name(cc), clock.instant());
      return Optional.of(
          new Live(
              project,
              name(cc),
              client,
              tokens(cc, choice.tokens()),
              clock.nanoTime(),
              choice.ttl().toNanos(),
              reserve));
    } catch (IOException | RuntimeException e) {
      setup.journal().removed(project);
      setup.ledger().storage(0, reserve);
      notice(project, why(e));
      return Optional.empty();
    }
  }

  /**
   * Extends a cache that would expire within {@link CacheSetup#EXTEND_BEFORE}, reserving the
   * storage of the extension under the cost cap first; one key does.
   */
  private void extendIfDue(Live c) {
    if (!c.extending.tryLock()) return;
    try {
      long now = clock.nanoTime();
      if (c.expiresNanos.get() - now > CacheSetup.EXTEND_BEFORE.toNanos()) return;
      Duration by = CacheSetup.EXTEND_BEFORE.multipliedBy(2);
      double more = c.tokens * storagePerTokenHour * by.toNanos() / 3.6e12;
      if (!setup.ledger().tryReserveStorage(Double.isNaN(more) ? 0 : more))
        return; // no room under the cost cap: it expires, and the project then runs inline
      c.reservedUsd.add(Double.isNaN(more) ? 0 : more);
      c.client.caches.update(c.name, UpdateCachedContentConfig.builder().ttl(by).build());
      c.expiresNanos.set(now + by.toNanos());
    } catch (RuntimeException e) {
      // not extended: if it expires, the API says so on use and it is created again once
    } finally {
      c.extending.unlock();
    }
  }

  /** Bills a cache's storage for the time it lived on the run's clock. */
  private void bill(Live c) {
    double hours = Math.max(0, clock.nanoTime() - c.sinceNanos) / 3.6e12;
    double usd = c.tokens * storagePerTokenHour * hours;
    setup.ledger().storage(Double.isNaN(usd) ? 0 : usd, c.reservedUsd.sum());
    storage.computeIfAbsent(c.project, p -> new java.util.concurrent.atomic.DoubleAdder()).add(usd);
  }

  /** An answer to a request that named the cache of {@code key}'s project. */
  void used(ApiKey key, long cachedTokens) {
    used.computeIfAbsent(
            projectOfKey.get(key.index()), p -> new java.util.concurrent.atomic.LongAdder())
        .add(cachedTokens);
  }

  /**
   * Per project, for people: what was decided, and for a cached one what the cached rate saved over
   * sending the context inline, net of storage (bill it first: {@link #deleteAll}).
   */
  List<String> report() {
    List<String> out = new java.util.ArrayList<>();
    for (CacheChoice c : setup.choices()) {
      String why = said.get(c.project());
      if (!c.cached() || (why != null && !used.containsKey(c.project()))) {
        out.add("project " + c.project() + " inline (" + (c.cached() ? why : c.reason()) + ")");
        continue;
      }
      long tokens = used.containsKey(c.project()) ? used.get(c.project()).sum() : 0;
      double stored = storage.containsKey(c.project()) ? storage.get(c.project()).sum() : 0;
      out.add(
          "project "
              + c.project()
              + " cached ("
              + c.reason()
              + "): saved "
              + Numbers.usd(tokens * savingPerToken - stored)
              + " after "
              + Numbers.usd(stored)
              + " storage");
    }
    return out;
  }

  private static void delete(Client client, String name) {
    try {
      client.caches.delete(name, null);
    } catch (RuntimeException e) {
      // expires by its TTL; nothing else to do
    }
  }

  private void notice(String project, String why) {
    if (said.putIfAbsent(project, why) == null)
      setup.notices().accept("context cache: project " + project + " runs inline: " + why);
  }

  /** The API's answer, as the run's rows would say it (keys redacted). */
  private String why(Exception e) {
    if (e instanceof IOException io) return "cannot read a context file: " + io.getMessage();
    return classifier.ofException(e, Duration.ZERO).message();
  }

  private static String name(CachedContent cc) {
    return cc.name().orElse("");
  }

  private static long tokens(CachedContent cc, long otherwise) {
    return cc.usageMetadata()
        .flatMap(u -> u.totalTokenCount())
        .map(Integer::longValue)
        .orElse(otherwise);
  }
}
