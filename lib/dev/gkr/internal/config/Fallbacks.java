package dev.gkr.internal.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The models a run falls back to, in order, when its model is overloaded for {@code after} or not
 * served: none by default.
 *
 * @param models the fallback models, without the run's own model, no repeats
 * @param after how long a run-wide overload storm on a model lasts before new requests go to the
 *     next model
 */
public record Fallbacks(List<String> models, Duration after) {
  /** Default of {@code --fallback-after}. */
  public static final Duration DEFAULT_AFTER = Duration.ofSeconds(60);

  public static final Fallbacks NONE = new Fallbacks(List.of(), DEFAULT_AFTER);

  public Fallbacks {
    models = List.copyOf(models);
    if (after == null || after.isNegative())
      throw new IllegalArgumentException("fallbackAfter must be >= 0, was " + after);
  }

  /**
   * The fallback models named, checked: none blank, none repeated, none the run's own {@code
   * model}.
   *
   * @throws IllegalArgumentException naming the bad entry
   */
  public static List<String> check(String model, List<String> names) {
    List<String> out = new ArrayList<>(names.size());
    for (int i = 0; i < names.size(); i++) {
      String m = names.get(i) == null ? "" : names.get(i).strip();
      if (m.isEmpty())
        throw new IllegalArgumentException("fallbackModels: model " + (i + 1) + " is blank");
      if (m.equals(model) || out.contains(m))
        throw new IllegalArgumentException("fallbackModels: " + m + " is named twice");
      out.add(m);
    }
    return List.copyOf(out);
  }

  /** The whole chain: {@code model} first, then the fallbacks. */
  public List<String> chain(String model) {
    List<String> all = new ArrayList<>(models.size() + 1);
    all.add(model);
    all.addAll(models);
    return List.copyOf(all);
  }
}
