package dev.gkr.internal.cost;

import dev.gkr.internal.common.Numbers;
import java.time.Duration;
import java.util.Locale;

/**
 * What a run decided for one project's shared context: one explicit cache, or inline in every
 * request, and why. The arithmetic of {@code --cache auto}: a request that names the cache pays the
 * cached rate instead of the input rate for the shared tokens ({@code saving}, over the project's
 * share of the requests), and the cache costs storage per token-hour for its TTL ({@code storage});
 * it is cached when the saving is larger. Immutable.
 *
 * @param tokens the shared part's estimated size (context files and system instruction)
 * @param requests the project's estimated share of the requests
 * @param ttl how long the cache is asked to live: the plan's wall time plus a margin
 * @param savingUsd what the cached rate saves over the requests, before storage; NaN unknown
 * @param storageUsd the storage for the TTL; NaN unknown
 */
public record CacheChoice(
    String project,
    boolean cached,
    String reason,
    long tokens,
    long requests,
    Duration ttl,
    double savingUsd,
    double storageUsd) {

  /**
   * Decides for one project. {@code off}: never; below the model's minimum ({@link CacheSizes}):
   * inline, except {@code on}, which tries anyway and lets the API's 400 decide; {@code on}:
   * cached; {@code auto}: cached when the saving is larger than the storage, both priced.
   */
  public static CacheChoice decide(
      CacheMode mode,
      Prices prices,
      String model,
      PriceTier tier,
      String project,
      long tokens,
      long requests,
      Duration ttl) {
    double hours = ttl.toMillis() / 3_600_000.0;
    double saving = tokens * prices.cachedSaving(model, tier) / 1e6 * requests;
    double storage = tokens * prices.cacheStorage(model) / 1e6 * hours;
    int min = CacheSizes.minimumTokens(model);
    String reason;
    boolean cached = false;
    if (mode == CacheMode.OFF) reason = "--cache off";
    else if (tokens == 0) reason = "no shared context";
    else if (mode == CacheMode.ON) {
      cached = true;
      reason = "--cache on";
    } else if (tokens < min)
      reason = String.format(Locale.ROOT, "below the minimum of %,d tokens", min);
    else if (Double.isNaN(saving) || Double.isNaN(storage))
      reason = "no cache storage price for " + model;
    else if (saving > storage) {
      cached = true;
      reason = "saves about " + Numbers.usd(saving - storage);
    } else
      reason =
          "storage "
              + Numbers.usd(storage)
              + " would cost more than the "
              + Numbers.usd(saving)
              + " it saves";
    return new CacheChoice(project, cached, reason, tokens, requests, ttl, saving, storage);
  }

  /** For people: {@code project a cached (saves about $0.12)}, {@code project b inline (...)}. */
  public String text() {
    return "project " + project + (cached ? " cached (" : " inline (") + reason + ")";
  }
}
