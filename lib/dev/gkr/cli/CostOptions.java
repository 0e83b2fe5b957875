package dev.gkr.cli;

import dev.gkr.Cost;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The money options of {@code gkr} and {@code gkr plan}, a picocli mixin: the price table, the
 * service tier, the cap, and the context cache. Each maps to the {@code Cost} builder method of the
 * same name in camelCase.
 */
final class CostOptions {
  @Option(
      names = "--max-cost",
      paramLabel = "USD",
      description =
          "stop taking tasks before the spend (checkpoint included) plus the requests in flight could pass USD; "
              + "a rerun with a higher cap resumes (exit 4)")
  private Double maxCost;

  @Option(
      names = "--prices",
      paramLabel = "FILE",
      description =
          "price table JSON adding to or replacing gkr's built-in one (USD per 1M tokens)")
  private Path prices;

  @Option(
      names = "--service-tier",
      paramLabel = "T",
      description =
          "flex (50 %% off, best effort, slower) or standard; sent on every request and priced accordingly")
  private String serviceTier;

  @Option(
      names = "--cache",
      paramLabel = "M",
      description =
          "off, auto (default) or on: the shared context (--context, --system) in one explicit cache per project; "
              + "auto when the plan says it saves money (cached rate vs storage per hour) and it is above the model's minimum")
  private String cache;

  /** {@code --max-cost} as given, for messages; null when not. */
  Double maxCost() {
    return maxCost;
  }

  /**
   * What was given, with the plan's expected output ({@code gkr plan} only; null for a run); every
   * problem is an input error (exit 2) before any request.
   */
  Cost cost(Integer expectedOutputTokens) throws InputException {
    try {
      Cost.Builder c = Cost.builder();
      if (prices != null) c.prices(prices);
      if (serviceTier != null) c.serviceTier(serviceTier);
      if (maxCost != null) c.maxCost(maxCost);
      if (cache != null) c.contextCache(cache);
      if (expectedOutputTokens != null) c.expectedOutputTokens(expectedOutputTokens);
      return c.build();
    } catch (IllegalArgumentException e) {
      throw new InputException(OptionNames.of(e.getMessage()));
    }
  }
}
