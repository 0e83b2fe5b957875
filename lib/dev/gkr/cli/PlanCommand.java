package dev.gkr.cli;

import dev.gkr.Embedding;
import dev.gkr.Generation;
import dev.gkr.Plan;
import dev.gkr.Rotator;
import dev.gkr.Task;
import dev.gkr.sim.SimulatorReplay;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code gkr plan TASKS}: rate, wall time, days and tokens of a batch, before a request is spent.
 */
@Command(
    name = "plan",
    mixinStandardHelpOptions = true,
    description =
        "Estimate a batch's rate, wall time, days, tokens and cost from its keys, pacing and declared limits; sends nothing.")
final class PlanCommand implements Callable<Integer> {
  @Parameters(
      index = "0",
      paramLabel = "TASKS",
      description =
          "tasks file: .csv (prompt column), .jsonl, .json, .parquet, .txt, or - for stdin")
  private String tasksFile;

  // The options a run takes too, declared once for both.
  @Mixin private KeysOptions keysOptions = new KeysOptions();
  @Mixin private PaceOptions pace = new PaceOptions();
  @Mixin private LimitOptions limits = new LimitOptions();
  @Mixin private CostOptions cost = new CostOptions();
  @Mixin private FilesRootOption filesRoot = new FilesRootOption();

  @Option(names = "--system", description = "system instruction (counts towards tokens)")
  private String system;

  @Option(
      names = "--context",
      paramLabel = "FILE",
      description = "a file every request starts with (repeatable; counts towards tokens)")
  private List<Path> context = List.of();

  @Option(
      names = "--model",
      description =
          "model, for the price (default: gemini-2.5-flash; with --embed gemini-embedding-001)")
  private String model;

  @Option(
      names = "--embed",
      description =
          "plan a gkr embed run: texts (a 'text' column, else 'prompt'), one request each, input"
              + " tokens at the embedding price")
  private boolean embed;

  @Option(
      names = "--fallback-model",
      split = ",",
      paramLabel = "M",
      description =
          "fallback models of the run, in order: the plan names the chain and what it costs if the dearest answered every task")
  private List<String> fallbackModels = List.of();

  @Option(
      names = "--expected-output-tokens",
      paramLabel = "N",
      description =
          "output tokens per task (answer and thinking) for the cost estimate (default: "
              + "--max-output-tokens, else 1000)")
  private Integer expectedOutputTokens;

  @Option(
      names = "--max-output-tokens",
      paramLabel = "N",
      description = "cap on each answer's tokens, as for a run")
  private Integer maxOutputTokens;

  @Option(
      names = "--replay",
      description =
          "check the plan: run it on the embedded simulator with the limits as quotas, time compressed")
  private boolean replay;

  @Option(
      names = "--speedup",
      defaultValue = "600",
      description =
          "time compression of --replay (default: ${DEFAULT-VALUE}: a minute takes 100 ms; use 60 for 30+ rpm)")
  private int speedup;

  /**
   * A plan sends nothing: it counts the keys and groups them, so placeholders do to size a batch
   * (--simulate is for runs).
   */
  static final String NO_KEYS =
      "use --keys-file FILE or set GEMINI_API_KEYS (comma-separated); the plan sends nothing, "
          + "so placeholder names work to size a batch, e.g. GEMINI_API_KEYS=k1,k2,k3";

  @Override
  public Integer call() {
    try {
      List<Task> tasks = TaskFiles.read(tasksFile, System.in, filesRoot.scope(tasksFile), embed);
      KeysFile.Keys keys = keysOptions.read(System.getenv(), System.err, NO_KEYS);
      Rotator r = Rotator.keys(keys.keys()).files(filesRoot.files(tasksFile));
      pace.applyTo(r);
      if (system != null) r.systemInstruction(system);
      if (!context.isEmpty()) r.context(context.toArray(Path[]::new));
      if (embed && replay) throw new InputException("--replay is for generation plans");
      if (embed && !fallbackModels.isEmpty())
        throw new InputException("--fallback-model is for generation plans");
      String m = model != null ? model : embed ? "gemini-embedding-001" : "gemini-2.5-flash";
      r.model(m);
      r.fallbackModels(fallbackModels.toArray(String[]::new));
      if (maxOutputTokens != null)
        r.generation(Generation.builder().maxOutputTokens(maxOutputTokens).build());
      r.cost(cost.cost(expectedOutputTokens));
      keys.declareProjects(r);
      limits.applyTo(r);
      Plan plan = embed ? Plan.embeddings(r, tasks, Embedding.DEFAULT.model(m)) : r.plan(tasks);
      System.out.print(
          OptionNames.of(
              replay ? plan.replay(speedup, SimulatorReplay::start).print() : plan.print()));
      return 0;
    } catch (InputException e) {
      System.err.println("gkr plan: " + e.getMessage());
      return GkrCommand.BAD_INPUT;
    } catch (IllegalArgumentException e) {
      System.err.println("gkr plan: " + OptionNames.of(e.getMessage()));
      return GkrCommand.BAD_INPUT;
    }
  }
}
