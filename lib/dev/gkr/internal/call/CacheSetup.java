package dev.gkr.internal.call;

import dev.gkr.internal.cost.CacheChoice;
import dev.gkr.internal.cost.Ledger;
import dev.gkr.internal.store.CacheJournal;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What a run hands its transport for explicit context caches: the decision per project, the hash of
 * the shared content (a cache of other content is never reused), the journal beside the checkpoint,
 * the ledger that reserves and bills storage, and where notices go.
 */
public record CacheSetup(
    List<CacheChoice> choices,
    String hash,
    CacheJournal journal,
    Ledger ledger,
    Consumer<String> notices) {

  /** A cache with less than this left is extended by twice as much while the run lasts. */
  public static final Duration EXTEND_BEFORE = Duration.ofMinutes(5);

  public CacheSetup {
    choices = List.copyOf(choices);
  }

  Optional<CacheChoice> choice(String project) {
    return choices.stream().filter(c -> c.project().equals(project)).findFirst();
  }

  boolean anyCached() {
    return choices.stream().anyMatch(CacheChoice::cached);
  }
}
