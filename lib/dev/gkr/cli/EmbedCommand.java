package dev.gkr.cli;

import dev.gkr.BaseUrlOption;
import dev.gkr.Embedding;
import dev.gkr.ErrorLog;
import dev.gkr.Rotator;
import dev.gkr.Task;
import dev.gkr.internal.common.BaseUrls;
import dev.gkr.sim.Simulator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tech.tablesaw.api.Table;

/**
 * {@code gkr embed TASKS}: one vector per text, packed up to 100 texts a call and paced per text
 * (see {@link Rotator#embed}).
 */
@Command(
    name = "embed",
    mixinStandardHelpOptions = true,
    description =
        "Embed every text (a 'text' column, else 'prompt') with Gemini's embedding model; vectors"
            + " go to --out (.parquet: a list of floats; .jsonl: an array; .csv: JSON array text).")
final class EmbedCommand implements Callable<Integer> {
  @Parameters(
      index = "0",
      paramLabel = "TASKS",
      description = "tasks file: .csv, .jsonl, .json, .parquet, .txt, or - for stdin")
  private String tasksFile;

  @Mixin private KeysOptions keysOptions = new KeysOptions();
  @Mixin private PaceOptions pace = new PaceOptions();
  @Mixin private LimitOptions limits = new LimitOptions();
  @Mixin private CostOptions cost = new CostOptions();
  @Mixin private RetryOptions retries = new RetryOptions();
  @Mixin private OutputOptions output = new OutputOptions();
  @Mixin private FilesRootOption filesRoot = new FilesRootOption();
  @Mixin private BatchModeOptions batchMode = new BatchModeOptions();

  @Option(
      names = "--model",
      defaultValue = "gemini-embedding-001",
      description = "embedding model (default: ${DEFAULT-VALUE})")
  private String model;

  @Option(
      names = "--dimensions",
      paramLabel = "N",
      description =
          "vector size (outputDimensionality; 768, 1536 or 3072 recommended; default: the"
              + " model's, 3072); a shortened vector is normalised to length 1")
  private Integer dimensions;

  @Option(
      names = "--task-type",
      paramLabel = "T",
      description =
          "Gemini's task type: RETRIEVAL_DOCUMENT, RETRIEVAL_QUERY, SEMANTIC_SIMILARITY,"
              + " CLASSIFICATION, CLUSTERING, ...")
  private String taskType;

  @Option(
      names = "--title-column",
      paramLabel = "C",
      description = "the column whose value is each text's title")
  private String titleColumn;

  @Option(
      names = "--simulate",
      description = "run against the embedded Gemini simulator with demo keys (offline)")
  private boolean simulate;

  @Option(
      names = "--base-url",
      description = "Gemini endpoint (default: env GOOGLE_GEMINI_BASE_URL, else Google)")
  private String baseUrl;

  @Override
  public Integer call() {
    try {
      List<Task> tasks = TaskFiles.read(tasksFile, System.in, filesRoot.scope(tasksFile), true);
      Embedding how = Embedding.DEFAULT.model(model);
      if (dimensions != null) how = how.dimensions(dimensions);
      if (taskType != null) how = how.taskType(taskType);
      if (titleColumn != null) {
        String c = titleColumn;
        if (tasks.stream().noneMatch(t -> t.metadata().containsKey(c)))
          throw new InputException(tasksFile + ": no column '" + c + "' for --title-column");
        how = how.titleColumn(c);
      }
      OutputOptions.Files files = output.resolve(tasksFile, "embeddings");
      CheckpointStart.announce(files, true, System.err);
      try (Simulator sim = simulate ? Simulator.demo().start() : null;
          ErrorLog log = ErrorLog.to(files.errorLog())) {
        KeysFile.Keys keys =
            sim != null
                ? new KeysFile.Keys(Simulator.DEMO_KEYS, Map.of())
                : keysOptions.read(
                    System.getenv(),
                    System.err,
                    "use --keys-file FILE, set GEMINI_API_KEYS (comma-separated) or"
                        + " GEMINI_API_KEY, or try --simulate");
        Rotator r = Rotator.keys(keys.keys());
        keys.declareProjects(r);
        limits.applyTo(r);
        pace.applyTo(r);
        dev.gkr.Cost c = cost.cost(null);
        if (c.serviceTier().isPresent())
          throw new InputException("--service-tier: embeddings are sent at the standard tier only");
        if (c.contextCache().equals("on"))
          throw new InputException("--cache: embeddings have no shared context to cache");
        dev.gkr.BatchMode bm = batchMode.batchMode();
        if (bm.cancelJobs() || bm.jobs() != 1)
          throw new InputException(
              (bm.cancelJobs() ? "--cancel-jobs" : "--batch-jobs")
                  + " is for generation: gkr embed submits all its jobs at once and collects them");
        r.retries(retries.retries()).cost(c).checkpoint(files.checkpoint()).batchMode(bm);
        Monitor monitor = Monitor.onTerminal(r, System.err, tasks.size()); // null off a terminal
        Lines lines = new Lines(System.err);
        if (monitor != null) lines.route(monitor.guard(System.err));
        r.onEvent(log).onEvent(new Notices(lines, files.errorLog())::accept);
        if (sim != null) r.baseUrl(sim.baseUrl());
        else {
          String url = baseUrl != null ? baseUrl : System.getenv(BaseUrls.ENV);
          if (url != null && !url.isBlank())
            r.baseUrl(
                BaseUrls.check(
                    url.strip(), baseUrl != null ? "--base-url" : BaseUrls.ENV, false, ""),
                BaseUrlOption.INSECURE);
        }
        Table results;
        try {
          results = r.embed(tasks, how);
        } finally {
          if (monitor != null) monitor.stop();
          lines.route(System.err);
        }
        files.results().write(results, System.out);
        long ok = results.booleanColumn("success").countTrue();
        System.err.println(r.stats().print()); // the generation's report: a task is a text here
        System.err.println(
            "gkr embed: "
                + ok
                + " of "
                + results.rowCount()
                + " texts embedded; results: "
                + files.results().describe()
                + "; checkpoint: "
                + files.checkpoint()
                + (ok < results.rowCount() ? "; errors: " + files.errorLog() : ""));
        return ok == results.rowCount() ? 0 : 1;
      }
    } catch (InputException | java.io.UncheckedIOException e) {
      System.err.println("gkr embed: " + e.getMessage());
      return GkrCommand.BAD_INPUT;
    } catch (IllegalArgumentException | IllegalStateException e) {
      System.err.println("gkr embed: " + OptionNames.of(e.getMessage()));
      return GkrCommand.BAD_INPUT;
    }
  }
}
