package dev.gkr.internal.plan;

import dev.gkr.Task;
import dev.gkr.internal.common.Tokens;
import dev.gkr.internal.config.Settings;
import dev.gkr.internal.cost.PriceTier;
import dev.gkr.internal.cost.Prices;
import java.util.List;

/**
 * What a batch will cost: each task's estimated input plus an assumed output (answer and thinking)
 * at the requested tier, every task answered once, no cached input.
 *
 * @param outputTokens the output per task assumed
 * @param usd the estimate; NaN when the model has no price
 */
public record PlanCost(int outputTokens, PriceTier tier, double usd) {
  /**
   * Output tokens per task the estimate assumes when neither expectedOutputTokens nor
   * maxOutputTokens is set.
   */
  public static final int DEFAULT_OUTPUT_TOKENS = 1000;

  public static PlanCost of(Settings s, List<Task> tasks) {
    int max = s.maxOutputTokens();
    int expected = s.expectedOutputTokens();
    int out = expected > 0 ? expected : max > 0 ? max : DEFAULT_OUTPUT_TOKENS;
    PriceTier tier = s.serviceTier().orElse(PriceTier.STANDARD);
    String system = s.systemInstruction().orElse("");
    double usd = 0;
    for (Task t : tasks)
      usd +=
          s.prices()
              .cost(
                  s.model(),
                  new Prices.Usage(Tokens.estimate(t.prompt(), system), 0, out, 0),
                  tier);
    return new PlanCost(out, tier, usd);
  }
}
