package dev.gkr.cli;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The library's messages name Java methods ({@code maxCost must be ...}, {@code add the model with
 * prices(...)}); on the command line the same message names the option ({@code --max-cost must be
 * ...}, {@code --prices}). Translated here, once, for every line gkr prints from the library: its
 * exceptions, its notices and the plan.
 */
final class OptionNames {
  private OptionNames() {}

  /** Java names (methods of the Rotator and the option values) and the option of each. */
  private static final Map<String, String> OPTIONS =
      Map.ofEntries(
          Map.entry("maxCost", "--max-cost"),
          Map.entry("serviceTier", "--service-tier"),
          Map.entry("contextCache", "--cache"),
          Map.entry("prices", "--prices"),
          Map.entry("expectedOutputTokens", "--expected-output-tokens"),
          Map.entry("maxOutputTokens", "--max-output-tokens"),
          Map.entry("topP", "--top-p"),
          Map.entry("topK", "--top-k"),
          Map.entry("seed", "--seed"),
          Map.entry("stopSequences", "--stop"),
          Map.entry("thinkingBudget", "--thinking-budget"),
          Map.entry("thinkingLevel", "--thinking-level"),
          Map.entry("safety", "--safety"),
          Map.entry("acceptTruncated", "--accept-truncated"),
          Map.entry("batchJobs", "--batch-jobs"),
          Map.entry("jobs", "--batch-jobs"),
          Map.entry("cancelJobs", "--cancel-jobs"),
          Map.entry("deadline", "--deadline"),
          Map.entry("mode", "--mode"),
          Map.entry("maxRetries", "--max-retries"),
          Map.entry("maxWait", "--max-wait"),
          Map.entry("timeout", "--timeout"),
          Map.entry("limits", "--rpm/--tpm/--rpd"),
          Map.entry("slots", "--slots"),
          Map.entry("every", "--every"),
          Map.entry("model", "--model"),
          Map.entry("fallbackModels", "--fallback-model"),
          Map.entry("fallbackAfter", "--fallback-after"),
          Map.entry("temperature", "--temperature"),
          Map.entry("systemInstruction", "--system"),
          Map.entry("baseUrl", "--base-url"),
          Map.entry("checkpoint", "--checkpoint"));

  /** {@code --safety / .safety(...)}: a message that names both keeps the option. */
  private static final Pattern BOTH = Pattern.compile(" / \\.?\\w+\\(\\.\\.\\.\\)");

  /**
   * A Java name: a call {@code name(...)} anywhere, a camelCase name anywhere, a plain word only as
   * the subject that opens the message ({@code slots must be >= 1}).
   */
  private static final Pattern JAVA =
      Pattern.compile(
          "(?<![-\\w.])\\.?(\\w+)\\(\\.\\.\\.\\)|(?<![-\\w.])([a-z]+[A-Z]\\w*)\\b|^([a-z]+)(?= must )");

  static String of(String message) {
    if (message == null) return "";
    Matcher j = JAVA.matcher(BOTH.matcher(message).replaceAll(""));
    StringBuilder out = new StringBuilder();
    while (j.find()) {
      String name = j.group(1) != null ? j.group(1) : j.group(2) != null ? j.group(2) : j.group(3);
      String option = OPTIONS.get(name);
      j.appendReplacement(out, Matcher.quoteReplacement(option == null ? j.group() : option));
    }
    j.appendTail(out);
    return out.toString();
  }
}
