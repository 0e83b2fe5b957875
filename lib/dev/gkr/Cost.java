package dev.gkr;

import dev.gkr.internal.cost.CacheMode;
import dev.gkr.internal.cost.PriceTier;
import dev.gkr.internal.cost.Prices;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * What a run may spend and how it is priced: a cap in USD, your own price table (added to the
 * built-in one), the Flex tier, the output the plan's estimate assumes, and whether the shared
 * context goes into an explicit cache per project. Immutable; built with {@link #builder()}, each
 * setter checking its argument at once:
 *
 * <pre>{@code
 * Rotator.keys(k).cost(Cost.builder().maxCost(5.00).serviceTier("flex").build())
 * }</pre>
 *
 * <p>Defaults: no cap, the built-in prices, the standard tier (no {@code serviceTier} sent),
 * context cache {@code auto}.
 */
public final class Cost {
  /** The defaults above. */
  public static final Cost DEFAULT = builder().build();

  private final Double maxCost;
  private final Prices prices;
  private final PriceTier serviceTier;
  private final int expectedOutputTokens;
  private final CacheMode contextCache;

  private Cost(Builder b) {
    this.contextCache = b.contextCache;
    this.maxCost = b.maxCost;
    this.prices = b.prices;
    this.serviceTier = b.serviceTier;
    this.expectedOutputTokens = b.expectedOutputTokens;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Only a cap: {@code Cost.capped(5.00)}. */
  public static Cost capped(double usd) {
    return builder().maxCost(usd).build();
  }

  public Builder toBuilder() {
    Builder b = new Builder();
    b.maxCost = maxCost;
    b.prices = prices;
    b.serviceTier = serviceTier;
    b.expectedOutputTokens = expectedOutputTokens;
    b.contextCache = contextCache;
    return b;
  }

  public Optional<Double> maxCost() {
    return Optional.ofNullable(maxCost);
  }

  /** {@code flex} or {@code standard} when one is asked for. */
  public Optional<String> serviceTier() {
    return Optional.ofNullable(serviceTier).map(PriceTier::code);
  }

  /** Output tokens per task {@link Rotator#plan} assumes; empty: maxOutputTokens, else 1,000. */
  public Optional<Integer> expectedOutputTokens() {
    return expectedOutputTokens == 0 ? Optional.empty() : Optional.of(expectedOutputTokens);
  }

  /** {@code off}, {@code auto} (the default) or {@code on}: see {@link Builder#contextCache}. */
  public String contextCache() {
    return contextCache.code();
  }

  /** The cache mode, for the run. */
  CacheMode cacheMode() {
    return contextCache;
  }

  /** Where the prices come from: the built-in table, plus your file or JSON when given. */
  public String pricesSource() {
    return prices.source();
  }

  /** The price table, for the run. */
  Prices prices() {
    return prices;
  }

  /** The tier requested, for the run. */
  Optional<PriceTier> tier() {
    return Optional.ofNullable(serviceTier);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Cost c
        && Objects.equals(maxCost, c.maxCost)
        && prices.source().equals(c.prices.source())
        && serviceTier == c.serviceTier
        && expectedOutputTokens == c.expectedOutputTokens
        && contextCache == c.contextCache;
  }

  @Override
  public int hashCode() {
    return Objects.hash(maxCost, prices.source(), serviceTier, expectedOutputTokens, contextCache);
  }

  @Override
  public String toString() {
    return "Cost["
        + (maxCost == null ? "no cap" : "maxCost=" + maxCost)
        + (serviceTier == null ? "" : ", serviceTier=" + serviceTier.code())
        + (expectedOutputTokens == 0 ? "" : ", expectedOutputTokens=" + expectedOutputTokens)
        + (contextCache == CacheMode.AUTO ? "" : ", contextCache=" + contextCache.code())
        + ", prices="
        + prices.source()
        + "]";
  }

  /** Builds {@link Cost}; each setter checks its argument at once. Not thread-safe. */
  public static final class Builder {
    private Double maxCost;
    private Prices prices = Prices.builtIn();
    private PriceTier serviceTier;
    private int expectedOutputTokens;
    private CacheMode contextCache = CacheMode.AUTO;

    private Builder() {}

    /**
     * Stops taking new tasks before what was spent (results restored from the checkpoint included)
     * plus the worst case of the requests in flight would pass {@code usd}; the run then ends as
     * {@code budget_reached}, and a rerun with a higher cap resumes. A request's worst case is its
     * estimated input plus maxOutputTokens (8,192 when not set) of output. Needs a price for the
     * model.
     */
    public Builder maxCost(double usd) {
      if (!(usd > 0) || !Double.isFinite(usd))
        throw new IllegalArgumentException("maxCost must be a positive number of USD, was " + usd);
      this.maxCost = usd;
      return this;
    }

    /**
     * Adds models to the built-in price table or replaces its entries: JSON of the shape of gkr's
     * {@code prices.json} ({@code {"models": {"gemini-x": {"standard": {"input": .., "output": ..,
     * "cachedInput": ..}, "batch": {..}, "flex": {..}}}}}, USD per million tokens). Checked at
     * once; a bad field is named.
     */
    public Builder prices(String json) {
      this.prices = Prices.builtIn().with(Objects.requireNonNull(json, "prices"), "prices");
      return this;
    }

    /** {@link #prices(String)} from a file. */
    public Builder prices(Path file) {
      this.prices = Prices.builtIn().with(Objects.requireNonNull(file, "prices"));
      return this;
    }

    /**
     * {@code flex} (50 % off, best effort, may take minutes) or {@code standard}: sent as the
     * request's {@code serviceTier} and priced accordingly. Default: none sent (the standard tier).
     */
    public Builder serviceTier(String tier) {
      this.serviceTier = PriceTier.requestable(tier);
      return this;
    }

    /**
     * Output tokens per task (answer and thinking) that {@link Rotator#plan}'s cost estimate
     * assumes; the run ignores it. Default: maxOutputTokens when set, else 1,000.
     */
    public Builder expectedOutputTokens(int tokens) {
      if (tokens < 1)
        throw new IllegalArgumentException("expectedOutputTokens must be >= 1, was " + tokens);
      this.expectedOutputTokens = tokens;
      return this;
    }

    /**
     * Whether the shared context ({@link Rotator#context} and the system instruction) goes into one
     * explicit cache per project, billed at the cached rate plus storage per token-hour: {@code
     * auto} (default) when the plan's estimate says it saves money for that project's share of the
     * tasks and the context is above the model's minimum; {@code on} whenever the API takes it;
     * {@code off} never (the context goes inline in every request). Batch Mode jobs never use it.
     */
    public Builder contextCache(String mode) {
      this.contextCache = CacheMode.of(mode);
      return this;
    }

    public Cost build() {
      return new Cost(this);
    }
  }
}
