package dev.gkr.internal.plan;

import dev.gkr.internal.common.Durations;
import dev.gkr.internal.common.Numbers;
import dev.gkr.internal.config.Settings;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** What a plan took for granted, for people: where its rate comes from, what was not declared. */
public final class PlanAssumptions {
  private PlanAssumptions() {}

  public static List<String> of(Settings s, int tasks, PlanRate rate, PlanCost cost) {
    List<String> assumed = new ArrayList<>();
    if (s.limits().isEmpty())
      assumed.add("no limits declared (limits(...)): the real quota may be lower");
    else
      assumed.add(
          (rate.projects() == 1 ? "the project" : "each of the " + rate.projects() + " projects")
              + " has the declared quota: "
              + s.limits().get());
    if (rate.bySlots().isPresent()) {
      assumed.add(
          String.format(
              Locale.ROOT,
              "%s each starting a request every %s (%.1f requests/minute), each answer back"
                  + " within that gap",
              Numbers.count(rate.slots(), "slot"),
              Durations.format(s.every()),
              rate.bySlots().get()));
    } else if (rate.perMinute().isEmpty()) {
      assumed.add(
          "every is 0: each slot starts its next request as soon as an answer is back, so the rate"
              + " is "
              + Numbers.count(rate.slots(), "slot")
              + " / seconds per answer, unknown before the run; set every(...) or"
              + " declare limits(...) for an estimate");
    }
    assumed.add(
        String.format(
            Locale.ROOT,
            "cost: %,d output tokens per task (answer and thinking; %s), %s prices of %s, no cached"
                + " input, every task answered once",
            cost.outputTokens(),
            s.expectedOutputTokens() > 0
                ? "as expected"
                : s.maxOutputTokens() > 0
                    ? "maxOutputTokens, the most"
                    : "a default; set expectedOutputTokens(...)",
            cost.tier().code(),
            s.model()));
    if (!cost.dearest().isEmpty())
      assumed.add(
          "fallback models: "
              + String.join(" -> ", s.models())
              + " (the cost above is "
              + s.model()
              + "'s); "
              + (Double.isNaN(cost.dearestUsd())
                  ? "no price for " + cost.dearest() + ", so no bound on the cost"
                  : "if "
                      + cost.dearest()
                      + " answered every task: "
                      + Numbers.usd(cost.dearestUsd())
                      + ", the most this chain costs at this estimate"));
    if (s.maxCost().isPresent() && cost.usd() > 0) {
      long covered =
          Math.min(tasks, (long) (s.maxCost().get() / (cost.usd() / Math.max(1, tasks))));
      assumed.add(
          String.format(
              Locale.ROOT,
              "max cost %s covers about %,d of the %,d tasks at this estimate",
              Numbers.usd(s.maxCost().get()),
              covered,
              tasks));
    }
    if (cost.startCap() > 0 && !Double.isNaN(cost.startCap()))
      assumed.add(
          "a cost cap must be at least "
              + Numbers.usd(cost.startCap())
              + " to start at all: each request reserves its worst case (its input plus"
              + " maxOutputTokens of output, 8,192 when not set) until it is billed");
    return assumed;
  }
}
