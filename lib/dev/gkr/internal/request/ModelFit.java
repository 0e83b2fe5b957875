package dev.gkr.internal.request;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;

/**
 * Whether the request's settings suit every model the run may ask (its own and its fallbacks):
 * thinking is set differently by model generation, and the API refuses the other generation's
 * setting with a 400 on every request. Checked when the run starts, before any request, so a
 * fallback never meets a storm of 400s when it is first needed.
 */
public final class ModelFit {
  private ModelFit() {}

  /** Why {@code model} refuses {@code generationConfig}, or empty when it takes it. */
  public static Optional<String> refusal(String model, JsonNode generationConfig) {
    JsonNode thinking = generationConfig.path("thinkingConfig");
    if (thinking.has("thinkingLevel") && model.startsWith("gemini-2."))
      return Optional.of(
          "thinkingLevel is for 3.x models; model " + model + " takes thinkingBudget instead");
    if (thinking.has("thinkingBudget") && model.startsWith("gemini-3"))
      return Optional.of(
          "thinkingBudget is for 2.5 models; model " + model + " takes thinkingLevel instead");
    if (thinking.path("thinkingBudget").asInt(-1) == 0 && model.startsWith("gemini-2.5-pro"))
      return Optional.of(
          "thinkingBudget 0 (off) is refused by model " + model + ", which only thinks");
    return Optional.empty();
  }

  /**
   * Refuses, naming the model (and the task, for a task's own config), the first setting a model in
   * {@code models} does not take.
   *
   * @param ids the task ids, in the order of {@code requests}
   * @throws IllegalArgumentException naming the model
   */
  public static void check(
      List<String> models, JsonNode runConfig, List<String> ids, TaskRequest[] requests) {
    for (String m : models) {
      Optional<String> why = refusal(m, runConfig);
      if (why.isPresent()) throw new IllegalArgumentException(why.get());
      for (int i = 0; i < requests.length; i++) {
        if (!requests[i].overridden()) continue;
        Optional<String> own = refusal(m, requests[i].generationConfig());
        if (own.isPresent())
          throw new IllegalArgumentException("task " + ids.get(i) + ": " + own.get());
      }
    }
  }
}
