package dev.gkr.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * {@code --help} readable: options under headings (tasks and output, keys and pace, request, JSON,
 * cost and Batch Mode, run control) in place of one long list, and one placeholder style ({@code
 * N}, {@code FILE}, {@code MAX_RETRIES}, never {@code <maxRetries>}). An option no heading names
 * still shows, under "Other options", so a new one is never hidden.
 */
final class HelpLayout {
  private HelpLayout() {}

  private static final Map<String, List<String>> GROUPS = new LinkedHashMap<>();

  static {
    GROUPS.put(
        "Tasks and output",
        List.of("--out", "--format", "--checkpoint", "--error-log", "--fresh", "--files-root"));
    GROUPS.put(
        "Keys and pace",
        List.of(
            "--keys-file",
            "--slots",
            "--every",
            "--rpm",
            "--rpd",
            "--tpm",
            "--base-url",
            "--insecure-base-url"));
    GROUPS.put(
        "Request",
        List.of(
            "--model",
            "--fallback-model",
            "--system",
            "--system-file",
            "--context",
            "--temperature",
            "--max-output-tokens",
            "--top-p",
            "--top-k",
            "--seed",
            "--stop",
            "--thinking-budget",
            "--thinking-level",
            "--safety",
            "--config",
            "--timeout"));
    GROUPS.put("JSON", List.of("--json", "--schema", "--flatten", "--accept-truncated"));
    GROUPS.put(
        "Cost and Batch Mode",
        List.of(
            "--max-cost",
            "--prices",
            "--service-tier",
            "--cache",
            "--expected-output-tokens",
            "--mode",
            "--batch-jobs",
            "--cancel-jobs",
            "--deadline"));
    GROUPS.put(
        "Run control",
        List.of(
            "--max-retries",
            "--max-wait",
            "--fallback-after",
            "--simulate",
            "--quiet",
            "--monitor-interval",
            "--replay",
            "--speedup",
            "--help",
            "--version"));
  }

  /** Installs the grouped option list and the placeholder style on {@code cl} and its commands. */
  static void install(CommandLine cl) {
    cl.getHelpSectionMap()
        .put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_OPTION_LIST, HelpLayout::options);
    cl.getHelpSectionMap()
        .put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_OPTION_LIST_HEADING, h -> "");
    for (CommandLine sub : cl.getSubcommands().values()) install(sub);
  }

  private static String options(Help help) {
    List<OptionSpec> all = new ArrayList<>(help.commandSpec().options());
    Help.IParamLabelRenderer labels = new Labels(help.parameterLabelRenderer());
    StringBuilder out = new StringBuilder();
    for (var group : GROUPS.entrySet()) {
      List<OptionSpec> in = new ArrayList<>();
      for (String name : group.getValue())
        for (OptionSpec o : all) if (o.longestName().equals(name)) in.add(o);
      all.removeAll(in);
      section(out, help, group.getKey(), in, labels);
    }
    section(out, help, "Other options", all, labels);
    return out.toString();
  }

  private static void section(
      StringBuilder out,
      Help help,
      String heading,
      List<OptionSpec> in,
      Help.IParamLabelRenderer labels) {
    if (in.isEmpty()) return;
    out.append(String.format("%n%s:%n", heading));
    out.append(help.optionListExcludingGroups(in, help.createDefaultLayout(), null, labels));
  }

  /** {@code <maxRetries>} becomes {@code MAX_RETRIES}; labels already in capitals stay. */
  private record Labels(Help.IParamLabelRenderer plain) implements Help.IParamLabelRenderer {
    @Override
    public Help.Ansi.Text renderParameterLabel(
        ArgSpec arg, Help.Ansi ansi, List<Help.Ansi.IStyle> styles) {
      String text = plain.renderParameterLabel(arg, ansi, styles).plainString();
      if (!text.contains("<")) return plain.renderParameterLabel(arg, ansi, styles);
      Class<?> type = arg.type();
      String fixed =
          type == java.nio.file.Path.class
              ? "=FILE"
              : type == int.class || type == Integer.class || type == long.class
                  ? "=N"
                  : text.matches("(?i).*(every|timeout|wait|interval).*")
                      ? "=D"
                      : text.replaceAll("([a-z])([A-Z])", "$1_$2")
                          .replace("<", "")
                          .replace(">", "");
      return ansi.new Text(fixed.toUpperCase(Locale.ROOT));
    }

    @Override
    public String separator() {
      return plain.separator();
    }
  }
}
