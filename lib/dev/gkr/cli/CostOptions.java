package dev.gkr.cli;

import dev.gkr.Rotator;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The money options of {@code gkr} and {@code gkr plan} (issue 19), a picocli mixin: the price
 * table, the service tier, and the cap. Each maps to the builder method of the same name in
 * camelCase.
 */
final class CostOptions {
  @Option(
      names = "--max-cost",
      paramLabel = "USD",
      description =
          "stop taking tasks before the spend (checkpoint included) plus the requests in flight could pass USD; "
              + "a rerun with a higher cap resumes (exit 4)")
  Double maxCost;

  @Option(
      names = "--prices",
      paramLabel = "FILE",
      description =
          "price table JSON adding to or replacing gkr's built-in one (USD per 1M tokens)")
  Path prices;

  @Option(
      names = "--service-tier",
      paramLabel = "T",
      description =
          "flex (50 %% off, best effort, slower) or standard; sent on every request and priced accordingly")
  String serviceTier;

  /** Applies what was given; every problem is an input error (exit 2) before any request. */
  void applyTo(Rotator r) throws InputException {
    try {
      if (prices != null) r.prices(prices);
      if (serviceTier != null) r.serviceTier(serviceTier);
      if (maxCost != null) r.maxCost(maxCost);
    } catch (IllegalArgumentException e) {
      throw new InputException(
          e.getMessage().startsWith("maxCost") ? "--max-cost: " + e.getMessage() : e.getMessage());
    }
  }
}
