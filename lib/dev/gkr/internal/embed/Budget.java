package dev.gkr.internal.embed;

import dev.gkr.internal.config.Settings;
import dev.gkr.internal.cost.PriceTier;
import dev.gkr.internal.cost.Prices;

/**
 * The run's spend against {@code maxCost}: restored texts count (a rerun continues the same
 * budget), and a pack starts only if its texts, at the model's standard embedding price, keep the
 * spend within the cap. A model without a price spends nothing here (gkr cannot know). Guarded by
 * the {@link EmbedRun}'s lock.
 */
final class Budget {
  private final Prices prices;
  private final String model;
  private final double cap;
  private double spent;

  Budget(Settings settings, String model) {
    this.prices = settings.prices();
    this.model = model;
    this.cap = settings.maxCost().orElse(Double.POSITIVE_INFINITY);
  }

  double cap() {
    return cap;
  }

  boolean allows(long tokens) {
    double usd = prices.cost(model, new Prices.Usage(tokens, 0, 0, 0), PriceTier.STANDARD);
    return spent + (Double.isNaN(usd) ? 0 : usd) <= cap;
  }

  /** A text's cost ({@code NaN}: unknown, nothing counted). */
  void spent(double usd) {
    if (!Double.isNaN(usd)) spent += usd;
  }
}
