package dev.gkr.internal.embed;

import dev.gkr.internal.config.Settings;
import dev.gkr.internal.cost.PriceTier;
import dev.gkr.internal.cost.Prices;

/**
 * The run's spend against {@code maxCost}: restored texts count (a rerun continues the same
 * budget), and a pack starts only if its texts, at the model's standard embedding price, keep the
 * spend with every pack in flight within the cap (a pack in flight is reserved until its answer). A
 * cap on a model without a price is refused before anything is sent ({@link #check}); without a
 * cap, such a model spends nothing here. Guarded by the {@link EmbedRun}'s lock.
 */
final class Budget {
  private final Prices prices;
  private final String model;
  private final double cap;
  private double spent;
  private double reserved; // the packs in flight

  Budget(Settings settings, String model) {
    this.prices = settings.prices();
    this.model = model;
    this.cap = settings.maxCost().orElse(Double.POSITIVE_INFINITY);
  }

  /**
   * Before anything is sent: a cap on a model without a price for a tier the run uses is an error,
   * as for generation (gkr could not hold it).
   */
  void check(boolean batch) {
    if (cap == Double.POSITIVE_INFINITY) return;
    for (PriceTier tier :
        batch
            ? new PriceTier[] {PriceTier.STANDARD, PriceTier.BATCH}
            : new PriceTier[] {PriceTier.STANDARD})
      if (Double.isNaN(prices.cost(model, new Prices.Usage(1, 0, 0, 0), tier)))
        throw new IllegalArgumentException(
            "maxCost needs a price: no "
                + tier.code()
                + " price for model "
                + model
                + " in "
                + prices.source()
                + "; add the model with prices(...)");
  }

  double cap() {
    return cap;
  }

  /** Whether a pack of {@code tokens} fits under the cap with what is spent and in flight. */
  boolean fits(long tokens) {
    return spent + reserved + usd(tokens) <= cap;
  }

  /** A pack of {@code tokens} was sent: held until {@link #release} when its answer is settled. */
  void reserve(long tokens) {
    reserved += usd(tokens);
  }

  void release(long tokens) {
    reserved = Math.max(0, reserved - usd(tokens));
  }

  /** Whether {@code usd} more (a batch job's texts at the batch price) fits under the cap. */
  boolean affords(double usd) {
    return spent + reserved + usd <= cap;
  }

  /** A text's cost ({@code NaN}: unknown, nothing counted). */
  void spent(double usd) {
    if (!Double.isNaN(usd)) spent += usd;
  }

  private double usd(long tokens) {
    double usd = prices.cost(model, new Prices.Usage(tokens, 0, 0, 0), PriceTier.STANDARD);
    return Double.isNaN(usd) ? 0 : usd;
  }
}
