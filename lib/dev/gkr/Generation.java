package dev.gkr;

import dev.gkr.internal.request.GenerationChecks;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The generation settings of a run, sent in every request's {@code generationConfig} (safety
 * settings beside it) and part of each task's checkpoint hash, so changing one redoes the tasks on
 * resume. Immutable; built with {@link #builder()}, each setter checking its argument at once:
 *
 * <pre>{@code
 * Rotator.keys(k1, k2)
 *     .generation(Generation.builder().maxOutputTokens(512).thinkingBudget(0).seed(7).build())
 *     .run(tasks);
 * }</pre>
 *
 * <p>Temperature, the system instruction and JSON mode are set on the {@link Rotator} itself.
 * Defaults: nothing set, so the model's own defaults apply.
 */
public final class Generation {
  /** Nothing set: the model's defaults. */
  public static final Generation DEFAULT = builder().build();

  private final Integer maxOutputTokens;
  private final Double topP;
  private final Integer topK;
  private final Integer seed;
  private final List<String> stopSequences;
  private final Integer thinkingBudget;
  private final String thinkingLevel;
  private final Map<String, String> safety;
  private final String config;
  private final boolean acceptTruncated;

  private Generation(Builder b) {
    this.maxOutputTokens = b.maxOutputTokens;
    this.topP = b.topP;
    this.topK = b.topK;
    this.seed = b.seed;
    this.stopSequences = b.stopSequences == null ? List.of() : List.copyOf(b.stopSequences);
    this.thinkingBudget = b.thinkingBudget;
    this.thinkingLevel = b.thinkingLevel;
    this.safety = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.safety));
    this.config = b.config;
    this.acceptTruncated = b.acceptTruncated;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder with these settings, to change some of them. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.maxOutputTokens = maxOutputTokens;
    b.topP = topP;
    b.topK = topK;
    b.seed = seed;
    b.stopSequences = stopSequences.isEmpty() ? null : stopSequences;
    b.thinkingBudget = thinkingBudget;
    b.thinkingLevel = thinkingLevel;
    b.safety.putAll(safety);
    b.config = config;
    b.acceptTruncated = acceptTruncated;
    return b;
  }

  /** The cap on each answer's tokens (thinking counts against it); empty: the model's limit. */
  public Optional<Integer> maxOutputTokens() {
    return Optional.ofNullable(maxOutputTokens);
  }

  public Optional<Double> topP() {
    return Optional.ofNullable(topP);
  }

  public Optional<Integer> topK() {
    return Optional.ofNullable(topK);
  }

  public Optional<Integer> seed() {
    return Optional.ofNullable(seed);
  }

  /** Empty when none are set. */
  public List<String> stopSequences() {
    return stopSequences;
  }

  public Optional<Integer> thinkingBudget() {
    return Optional.ofNullable(thinkingBudget);
  }

  /** Lower case: {@code minimal}, {@code low}, {@code medium} or {@code high}. */
  public Optional<String> thinkingLevel() {
    return Optional.ofNullable(thinkingLevel);
  }

  /** Category ({@code HARM_CATEGORY_...}) to threshold, in the order they were given. */
  public Map<String, String> safety() {
    return safety;
  }

  /** The other generationConfig fields, as checked JSON (camelCase); empty when none. */
  public Optional<String> config() {
    return Optional.ofNullable(config);
  }

  /** Whether a JSON answer cut off by maxOutputTokens is kept as a success. Default false. */
  public boolean acceptTruncated() {
    return acceptTruncated;
  }

  /** True when nothing is set: requests (and checkpoint hashes) carry no generation settings. */
  public boolean isDefault() {
    return maxOutputTokens == null
        && topP == null
        && topK == null
        && seed == null
        && stopSequences.isEmpty()
        && thinkingBudget == null
        && thinkingLevel == null
        && safety.isEmpty()
        && config == null;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Generation g
        && Objects.equals(maxOutputTokens, g.maxOutputTokens)
        && Objects.equals(topP, g.topP)
        && Objects.equals(topK, g.topK)
        && Objects.equals(seed, g.seed)
        && stopSequences.equals(g.stopSequences)
        && Objects.equals(thinkingBudget, g.thinkingBudget)
        && Objects.equals(thinkingLevel, g.thinkingLevel)
        && safety.equals(g.safety)
        && Objects.equals(config, g.config)
        && acceptTruncated == g.acceptTruncated;
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        maxOutputTokens,
        topP,
        topK,
        seed,
        stopSequences,
        thinkingBudget,
        thinkingLevel,
        safety,
        config,
        acceptTruncated);
  }

  /** The settings that are set, e.g. {@code Generation[maxOutputTokens=512, thinkingBudget=0]}. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("Generation[");
    String sep = "";
    for (Object[] f :
        new Object[][] {
          {"maxOutputTokens", maxOutputTokens},
          {"topP", topP},
          {"topK", topK},
          {"seed", seed},
          {"stopSequences", stopSequences.isEmpty() ? null : stopSequences},
          {"thinkingBudget", thinkingBudget},
          {"thinkingLevel", thinkingLevel},
          {"safety", safety.isEmpty() ? null : safety},
          {"config", config},
          {"acceptTruncated", acceptTruncated ? true : null}
        }) {
      if (f[1] == null) continue;
      sb.append(sep).append(f[0]).append('=').append(f[1]);
      sep = ", ";
    }
    return sb.append(']').toString();
  }

  /**
   * Builds a {@link Generation}; each setter checks its argument at once and names it in the
   * message. Not thread-safe.
   */
  public static final class Builder {
    private Integer maxOutputTokens;
    private Double topP;
    private Integer topK;
    private Integer seed;
    private List<String> stopSequences;
    private Integer thinkingBudget;
    private String thinkingLevel;
    private final Map<String, String> safety = new LinkedHashMap<>();
    private String config;
    private boolean acceptTruncated;

    private Builder() {}

    /** Caps each answer's tokens; thinking tokens count against it too. */
    public Builder maxOutputTokens(int tokens) {
      if (tokens < 1)
        throw new IllegalArgumentException("maxOutputTokens must be >= 1, was " + tokens);
      this.maxOutputTokens = tokens;
      return this;
    }

    /** Nucleus sampling, 0..1. */
    public Builder topP(double topP) {
      if (!(topP >= 0 && topP <= 1))
        throw new IllegalArgumentException("topP must be in 0..1, was " + topP);
      this.topP = topP;
      return this;
    }

    /** Top-k sampling, >= 1. */
    public Builder topK(int topK) {
      if (topK < 1) throw new IllegalArgumentException("topK must be >= 1, was " + topK);
      this.topK = topK;
      return this;
    }

    /** The same seed and settings make answers repeatable (as far as the model allows). */
    public Builder seed(int seed) {
      this.seed = seed;
      return this;
    }

    /** Up to 5 sequences that end an answer where they appear (not included in the answer). */
    public Builder stopSequences(String... stops) {
      return stopSequences(Arrays.asList(Objects.requireNonNull(stops, "stopSequences")));
    }

    public Builder stopSequences(List<String> stops) {
      this.stopSequences = GenerationChecks.stopSequences(stops);
      return this;
    }

    /**
     * Thinking tokens for 2.5 models: 0 off (Flash, Flash-Lite), -1 dynamic, N up to N tokens. Not
     * with {@link #thinkingLevel}.
     */
    public Builder thinkingBudget(int tokens) {
      GenerationChecks.thinkingBudget(tokens, thinkingLevel);
      this.thinkingBudget = tokens;
      return this;
    }

    /** Thinking for 3.x models: minimal, low, medium or high. Not with {@link #thinkingBudget}. */
    public Builder thinkingLevel(String level) {
      this.thinkingLevel = GenerationChecks.thinkingLevel(level, thinkingBudget);
      return this;
    }

    /**
     * A safety setting, with the API's names: {@code safety("HARM_CATEGORY_HARASSMENT",
     * "BLOCK_ONLY_HIGH")} (the {@code HARM_CATEGORY_} prefix may be left out). A later call for the
     * same category replaces it.
     */
    public Builder safety(String category, String threshold) {
      Map.Entry<String, String> s = GenerationChecks.safety(category, threshold);
      safety.put(s.getKey(), s.getValue());
      return this;
    }

    /**
     * Any other generationConfig field, as the REST API documents it (camelCase; snake_case is
     * accepted), e.g. {@code config("{\"presencePenalty\": 0.5}")}. The settings above win over it.
     * Unknown or mistyped fields are refused here, by name.
     */
    public Builder config(String generationConfigJson) {
      this.config = GenerationChecks.config(generationConfigJson);
      return this;
    }

    /**
     * In JSON mode an answer cut off by maxOutputTokens is a task error {@code truncated} (a
     * repaired half object would pass as whole); with {@code true} it is kept as a success.
     */
    public Builder acceptTruncated(boolean accept) {
      this.acceptTruncated = accept;
      return this;
    }

    public Generation build() {
      return new Generation(this);
    }
  }
}
