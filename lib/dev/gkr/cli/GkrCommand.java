package dev.gkr.cli;

import dev.gkr.BaseUrlOption;
import dev.gkr.ErrorLog;
import dev.gkr.Results;
import dev.gkr.Rotator;
import dev.gkr.internal.common.BaseUrls;
import dev.gkr.internal.common.Durations;
import dev.gkr.internal.request.FileScope;
import dev.gkr.sim.Simulator;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tech.tablesaw.api.Table;

/**
 * {@code gkr [options] TASKS}: run a batch from a file, with live monitoring, results and a
 * checkpoint alongside. This class declares the options (most in mixins, one per group) and turns
 * them into a {@link Rotator}; {@link Job} runs it.
 */
@Command(
    name = "gkr",
    customSynopsis = "gkr [OPTIONS] TASKS      (gkr plan --help, gkr simulator --help)",
    mixinStandardHelpOptions = true,
    version = "gkr 0.1.0",
    sortOptions = false,
    description =
        "Send a batch of prompts through the Gemini API across many keys, as fast as their quotas allow.%n"
            + "Keys come from --keys-file or GEMINI_API_KEYS / GEMINI_API_KEY / GOOGLE_API_KEY, never from the command line.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:every task succeeded",
      "1:some tasks failed (or a storm outlasted --max-wait)",
      "2:bad usage or input, or the model was not found",
      "3:stopped: no usable key was left (results and checkpoint written)",
      "4:stopped at --max-cost (results and checkpoint written; raise it and rerun to resume)",
      "5:stopped: Gemini could not be reached (no DNS, refused, TLS; check network, proxy, --base-url)",
      "130:interrupted (Ctrl-C)"
    },
    subcommands = {SimulatorCommand.class, PlanCommand.class, EmbedCommand.class})
public final class GkrCommand implements Callable<Integer> {
  static final int OK = 0,
      SOME_FAILED = 1,
      BAD_INPUT = 2,
      NO_KEYS = 3,
      MAX_COST = 4,
      UNREACHABLE = 5,
      INTERRUPTED = 130;

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "TASKS",
      description =
          "tasks file: .csv (prompt column), .jsonl, .json, .parquet, .txt, or - for stdin")
  private String tasksFile;

  @Option(
      names = "--model",
      description = "Gemini model (default: ${DEFAULT-VALUE})",
      defaultValue = "gemini-2.5-flash")
  private String model;

  @Option(
      names = "--fallback-model",
      split = ",",
      paramLabel = "M",
      description =
          "models asked, in order, while --model is overloaded for --fallback-after or not found; the run returns to --model when it answers (default: none)")
  private List<String> fallbackModels = List.of();

  @CommandLine.Mixin private PaceOptions pace = new PaceOptions();

  @Option(names = "--system", description = "system instruction")
  private String system;

  @Option(names = "--system-file", description = "system instruction from a file")
  private Path systemFile;

  @Option(
      names = "--context",
      paramLabel = "FILE",
      description =
          "a file every request starts with, before the task's own files and prompt (repeatable; text, PDF, image: what the files column takes)")
  private List<Path> context = List.of();

  @Option(names = "--temperature", description = "sampling temperature, 0..2")
  private Double temperature;

  @CommandLine.Mixin private RequestOptions request = new RequestOptions();
  @CommandLine.Mixin private BatchModeOptions batchMode = new BatchModeOptions();
  @CommandLine.Mixin private CostOptions cost = new CostOptions();
  @CommandLine.Mixin private RetryOptions retries = new RetryOptions();
  @CommandLine.Mixin private LimitOptions limits = new LimitOptions();

  @Option(names = "--json", description = "ask for JSON answers and parse (and repair) them")
  private boolean json;

  @Option(names = "--schema", description = "JSON Schema file for the answers (implies --json)")
  private Path schema;

  @Option(names = "--flatten", description = "with --json: top-level fields become columns")
  private boolean flatten;

  @CommandLine.Mixin private OutputOptions output = new OutputOptions();
  @CommandLine.Mixin private KeysOptions keysOptions = new KeysOptions();

  @Option(
      names = "--base-url",
      description = "Gemini endpoint (default: env GOOGLE_GEMINI_BASE_URL, else Google)")
  private String baseUrl;

  @Option(
      names = "--insecure-base-url",
      description =
          "allow a plain http:// base URL to a host that is not this machine: API keys then travel in clear text")
  private boolean insecureBaseUrl;

  @CommandLine.Mixin private FilesRootOption filesRoot = new FilesRootOption();

  @Option(
      names = "--simulate",
      description = "run against the embedded Gemini simulator with demo keys (offline)")
  private boolean simulate;

  @Option(
      names = "--quiet",
      description = "no live status and no key table: one summary line with the output files")
  private boolean quiet;

  @Option(
      names = "--monitor-interval",
      description = "status refresh interval (default: ${DEFAULT-VALUE})",
      defaultValue = "2s")
  private String monitorInterval;

  private final InputStream stdin;
  private final PrintStream stdout;
  private final PrintStream stderr;
  private final Map<String, String> env;

  public GkrCommand() {
    this(System.in, System.out, System.err, System.getenv());
  }

  GkrCommand(InputStream stdin, PrintStream stdout, PrintStream stderr, Map<String, String> env) {
    this.stdin = stdin;
    this.stdout = stdout;
    this.stderr = stderr;
    this.env = env;
  }

  public static void main(String[] args) {
    // This process owns its JVM: the embedded and standalone simulators serve faster.
    Simulator.tuneJdkHttpServer();
    System.exit(run(args, new GkrCommand()));
  }

  static int run(String[] args, GkrCommand command) {
    CommandLine cl = new CommandLine(command);
    cl.setUsageHelpWidth(100); // tokens such as ".parquet" stay whole
    HelpLayout.install(cl);
    cl.setOut(new java.io.PrintWriter(command.stdout, true));
    cl.setErr(new java.io.PrintWriter(command.stderr, true));
    cl.setExitCodeExceptionMapper(e -> BAD_INPUT);
    cl.setParameterExceptionHandler(
        (ex, a) -> {
          command.stderr.println("gkr: " + ex.getMessage());
          if (ex instanceof CommandLine.UnmatchedArgumentException u
              && !u.getSuggestions().isEmpty())
            command.stderr.println(
                "gkr: did you mean " + String.join(" or ", u.getSuggestions()) + "?");
          command.stderr.println("Try 'gkr --help' for more information.");
          return BAD_INPUT;
        });
    return cl.execute(args);
  }

  @Override
  public Integer call() {
    try {
      if (tasksFile == null) throw new InputException("missing TASKS file (try --help)");
      return new Job(this, stdin, stdout, stderr).run();
    } catch (InputException | java.io.UncheckedIOException e) {
      stderr.println("gkr: " + e.getMessage());
      return BAD_INPUT;
    } catch (IllegalArgumentException | IllegalStateException e) {
      stderr.println("gkr: " + OptionNames.of(e.getMessage())); // the library names methods
      return BAD_INPUT;
    }
  }

  String tasksFile() {
    return tasksFile;
  }

  boolean simulate() {
    return simulate;
  }

  boolean quiet() {
    return quiet;
  }

  Duration monitorInterval() throws InputException {
    return parseDuration(monitorInterval, "--monitor-interval");
  }

  OutputOptions.Files outputs() throws InputException {
    return output.resolve(tasksFile);
  }

  /** {@code --keys-file} as given; null when not. */
  Path keysFile() {
    return keysOptions.file();
  }

  KeysFile.Keys keys(PrintStream warn) throws InputException {
    return keysOptions.read(
        env,
        warn,
        "use --keys-file FILE, set GEMINI_API_KEYS (comma-separated) or GEMINI_API_KEY, or try --simulate");
  }

  /** {@code --max-cost} and {@code --max-wait} as given, for the messages at the end of a run. */
  Double maxCost() {
    return cost.maxCost();
  }

  String maxWait() {
    return retries.maxWait();
  }

  /** The results as the run returned them, or flattened with {@code --flatten}. */
  Table shaped(Table results) {
    return flatten ? Results.flatten(results) : results;
  }

  /** A rotator over {@code keys} with every option applied; gkr's notices go to {@code lines}. */
  Rotator configure(KeysFile.Keys keys, Simulator sim, OutputOptions.Files files, Lines lines)
      throws InputException {
    Rotator r = Rotator.keys(keys.keys());
    keys.declareProjects(r);
    limits.applyTo(r);
    r.model(model);
    try {
      r.fallbackModels(fallbackModels.toArray(String[]::new));
    } catch (IllegalArgumentException e) {
      throw new InputException(OptionNames.of(e.getMessage()));
    }
    pace.applyTo(r);
    r.retries(retries.retries())
        .generation(request.generation())
        .batchMode(batchMode.batchMode())
        .cost(cost.cost(null))
        .checkpoint(files.checkpoint())
        .onEvent(ErrorLog.to(files.errorLog()))
        .files(filesRoot.files(tasksFile));
    if (system != null && systemFile != null)
      throw new InputException("use --system or --system-file, not both");
    if (system != null) r.systemInstruction(system);
    if (systemFile != null) r.systemInstruction(readText(systemFile, "--system-file"));
    try {
      if (!context.isEmpty()) r.context(context.toArray(Path[]::new));
    } catch (IllegalArgumentException e) {
      throw new InputException("--" + e.getMessage());
    }
    if (temperature != null) r.temperature(temperature);
    if (schema != null) r.json(readText(schema, "--schema"));
    else if (json || flatten) r.json();
    if (sim != null) r.baseUrl(sim.baseUrl());
    // endpoint() applied the rule, naming the option or variable the URL came from
    else endpoint().ifPresent(url -> r.baseUrl(url, BaseUrlOption.INSECURE));
    return r.onEvent(new Notices(lines, files.errorLog())::accept);
  }

  /**
   * {@code --base-url}, else {@code GOOGLE_GEMINI_BASE_URL} (neither with {@code --simulate}),
   * checked by the rule that keeps API keys out of clear text, with a message naming where the URL
   * came from.
   */
  Optional<String> endpoint() {
    if (simulate) return Optional.empty(); // the embedded simulator, on 127.0.0.1
    String name = baseUrl != null ? "--base-url" : BaseUrls.ENV;
    String url = baseUrl != null ? baseUrl : env.get(BaseUrls.ENV);
    if (url == null || url.isBlank()) return Optional.empty();
    return Optional.of(
        BaseUrls.check(url.strip(), name, insecureBaseUrl, "add --insecure-base-url"));
  }

  /** Which local files the tasks may name (checked as the rows are read). */
  FileScope fileScope() throws InputException {
    return filesRoot.scope(tasksFile);
  }

  static Duration parseDuration(String text, String option) throws InputException {
    try {
      return Durations.parse(text);
    } catch (IllegalArgumentException e) {
      throw new InputException(option + ": " + e.getMessage().replaceFirst("^duration ", ""));
    }
  }

  private static String readText(Path p, String option) throws InputException {
    try {
      return Files.readString(p, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new InputException(option + " " + p + ": cannot read (" + IoReasons.of(e) + ")");
    }
  }
}
