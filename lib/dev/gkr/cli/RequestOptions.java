package dev.gkr.cli;

import dev.gkr.Generation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The generation settings of {@code gkr}, a picocli mixin so the main command stays short. Each
 * option maps to the {@code Generation} builder method of the same name in camelCase; {@code
 * --config} is the REST generationConfig.
 */
final class RequestOptions {
  @Option(
      names = "--max-output-tokens",
      paramLabel = "N",
      description = "cap on each answer's tokens; thinking counts against it")
  private Integer maxOutputTokens;

  @Option(names = "--top-p", paramLabel = "P", description = "nucleus sampling, 0..1")
  private Double topP;

  @Option(names = "--top-k", paramLabel = "K", description = "top-k sampling, >= 1")
  private Integer topK;

  @Option(names = "--seed", paramLabel = "N", description = "sampling seed, for repeatable answers")
  private Integer seed;

  @Option(
      names = "--stop",
      paramLabel = "TEXT",
      description = "stop sequence (repeatable, at most 5)")
  private List<String> stop = new ArrayList<>();

  @Option(
      names = "--thinking-budget",
      paramLabel = "N",
      description = "2.5 models: thinking tokens, 0 off, -1 dynamic")
  private Integer thinkingBudget;

  @Option(
      names = "--thinking-level",
      paramLabel = "L",
      description = "3.x models: minimal, low, medium or high")
  private String thinkingLevel;

  @Option(
      names = "--safety",
      paramLabel = "CATEGORY=THRESHOLD",
      description = "safety setting, repeatable, e.g. HARM_CATEGORY_HARASSMENT=BLOCK_ONLY_HIGH")
  private List<String> safety = new ArrayList<>();

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "REST generationConfig JSON (camelCase); the options above win over it")
  private Path config;

  @Option(
      names = "--accept-truncated",
      description = "with --json: keep answers cut off by --max-output-tokens as successes")
  private boolean acceptTruncated;

  /** What was given; every problem becomes an input error (exit 2) before any request. */
  Generation generation() throws InputException {
    try {
      Generation.Builder r = Generation.builder();
      if (config != null) r.config(read(config));
      if (maxOutputTokens != null) r.maxOutputTokens(maxOutputTokens);
      if (topP != null) r.topP(topP);
      if (topK != null) r.topK(topK);
      if (seed != null) r.seed(seed);
      if (!stop.isEmpty()) r.stopSequences(stop);
      if (thinkingBudget != null && thinkingLevel != null) {
        throw new InputException(
            "--thinking-budget and --thinking-level cannot be used together: the API refuses both at once (400). "
                + "Use --thinking-budget for 2.5 models and --thinking-level for 3.x models");
      }
      if (thinkingBudget != null) r.thinkingBudget(thinkingBudget);
      if (thinkingLevel != null) r.thinkingLevel(thinkingLevel);
      for (String s : safety) {
        int eq = s.indexOf('=');
        if (eq <= 0 || eq == s.length() - 1)
          throw new InputException(
              "--safety "
                  + s
                  + ": expected CATEGORY=THRESHOLD, e.g. HARM_CATEGORY_HARASSMENT=BLOCK_ONLY_HIGH");
        r.safety(s.substring(0, eq), s.substring(eq + 1));
      }
      return r.acceptTruncated(acceptTruncated).build();
    } catch (IllegalArgumentException e) {
      String m = e.getMessage();
      throw new InputException(
          config != null && m.startsWith("config:")
              ? "--config " + config + m.substring("config".length())
              : config != null ? m : OptionNames.of(m)); // the file's fields are camelCase too
    }
  }

  private static String read(Path p) throws InputException {
    try {
      return Files.readString(p, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new InputException("--config " + p + ": cannot read (" + IoReasons.of(e) + ")");
    }
  }
}
