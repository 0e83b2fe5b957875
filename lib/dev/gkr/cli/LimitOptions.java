package dev.gkr.cli;

import dev.gkr.Limits;
import dev.gkr.Rotator;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import picocli.CommandLine.Option;

/**
 * The quota each project declares, a picocli mixin shared by {@code gkr} (which paces to it) and
 * {@code gkr plan} (which sizes the batch by it). Projects come from the keys file ({@code KEY
 * project=NAME}); keys without one are each their own project. Gemini counts each model apart, so a
 * value may name its model ({@code --rpm 150@gemini-2.5-pro}); a plain value holds for every model
 * not named, and a model named takes the plain value for the limits not given for it.
 */
final class LimitOptions {
  @Option(
      names = "--rpm",
      split = ",",
      paramLabel = "N[@MODEL]",
      description =
          "declared requests per minute of each project (keys file: KEY project=NAME); gkr paces to it. N@MODEL for one model (repeatable or comma list)")
  private List<String> rpm = List.of();

  @Option(
      names = "--rpd",
      split = ",",
      paramLabel = "N[@MODEL]",
      description = "declared requests per day of each project; N@MODEL for one model")
  private List<String> rpd = List.of();

  @Option(
      names = "--tpm",
      split = ",",
      paramLabel = "N[@MODEL]",
      description = "declared input tokens per minute of each project; N@MODEL for one model")
  private List<String> tpm = List.of();

  /** Declares the limits, when any was given; an absent one is unlimited (0). */
  void applyTo(Rotator r) throws InputException {
    if (rpm.isEmpty() && rpd.isEmpty() && tpm.isEmpty()) return;
    Map<String, Integer> perMinute = parse("--rpm", rpm);
    Map<String, Integer> perDay = parse("--rpd", rpd);
    Map<String, Integer> tokens = parse("--tpm", tpm);
    Limits all = limits("", perMinute, perDay, tokens);
    TreeSet<String> models = new TreeSet<>(perMinute.keySet());
    models.addAll(perDay.keySet());
    models.addAll(tokens.keySet());
    models.remove("");
    for (String m : models) all = all.model(m, limits(m, perMinute, perDay, tokens));
    r.limits(all);
  }

  /** The model's own value of each limit, else the plain one, else unlimited. */
  private static Limits limits(
      String model,
      Map<String, Integer> perMinute,
      Map<String, Integer> perDay,
      Map<String, Integer> tokens) {
    return Limits.rpm(value(perMinute, model)).rpd(value(perDay, model)).tpm(value(tokens, model));
  }

  private static int value(Map<String, Integer> values, String model) {
    Integer v = values.get(model);
    if (v == null) v = values.get("");
    return v == null ? 0 : v;
  }

  /** {@code N} or {@code N@MODEL} values, by model ("" for every model). */
  private static Map<String, Integer> parse(String option, List<String> values)
      throws InputException {
    Map<String, Integer> out = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    for (String raw : values) {
      String v = raw.strip();
      int at = v.indexOf('@');
      String number = at < 0 ? v : v.substring(0, at).strip();
      String model = at < 0 ? "" : v.substring(at + 1).strip();
      if (at >= 0 && model.isEmpty()) {
        problems.add("'" + raw + "' names no model after @");
        continue;
      }
      int n;
      try {
        n = Integer.parseInt(number);
      } catch (NumberFormatException e) {
        problems.add("'" + raw + "' is not N or N@MODEL (a whole number, then an optional model)");
        continue;
      }
      if (n < 1) {
        problems.add("'" + raw + "' must be >= 1");
        continue;
      }
      if (out.put(model, n) != null)
        problems.add(
            model.isEmpty()
                ? "a plain value is given twice"
                : "model " + model + " is given twice");
    }
    if (!problems.isEmpty()) throw new InputException(option + ": " + String.join("; ", problems));
    return out;
  }
}
