package dev.gkr.internal.plan;

import dev.gkr.Task;
import dev.gkr.internal.common.Tokens;
import dev.gkr.internal.config.Settings;
import dev.gkr.internal.cost.Ledger;
import dev.gkr.internal.cost.PriceTier;
import dev.gkr.internal.cost.Prices;
import dev.gkr.internal.request.TaskRequests;
import java.util.List;

/**
 * What a batch will cost: each task's estimated input plus an assumed output (answer and thinking)
 * at the requested tier, every task answered once, no cached input (the shared context counts in
 * every task, uncached).
 *
 * @param outputTokens the output per task assumed
 * @param usd the estimate; NaN when the model has no price
 * @param startCap the smallest cost cap under which every task can start: a request reserves its
 *     worst case (input plus maxOutputTokens, 8,192 when not set) until it is billed
 * @param dearest with fallback models, the model of the chain whose answers would cost the most
 *     (empty without fallbacks)
 * @param dearestUsd the estimate with every task answered by {@code dearest}: the bound on the cost
 *     whichever models answer (NaN when a model of the chain has no price)
 */
public record PlanCost(
    int outputTokens,
    PriceTier tier,
    double usd,
    double startCap,
    String dearest,
    double dearestUsd) {
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
    int reserve = max > 0 ? max : Ledger.DEFAULT_OUTPUT_RESERVE;
    long context = TaskRequests.contextTokens(s); // the shared files, in every request
    List<String> models = s.models();
    double[] usd = new double[models.size()];
    double startCap = 0;
    for (Task t : tasks) {
      long in = Tokens.estimate(t.prompt(), system) + context;
      for (int m = 0; m < models.size(); m++)
        usd[m] += s.prices().cost(models.get(m), new Prices.Usage(in, 0, out, 0), tier);
      startCap =
          Math.max(startCap, s.prices().cost(s.model(), new Prices.Usage(in, 0, reserve, 0), tier));
    }
    if (models.size() == 1) return new PlanCost(out, tier, usd[0], startCap, "", usd[0]);
    int dearest = 0;
    for (int m = 1; m < models.size(); m++) {
      if (Double.isNaN(usd[m]))
        return new PlanCost(out, tier, usd[0], startCap, models.get(m), Double.NaN);
      if (usd[m] > usd[dearest]) dearest = m;
    }
    return new PlanCost(out, tier, usd[0], startCap, models.get(dearest), usd[dearest]);
  }
}
