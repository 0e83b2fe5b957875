package dev.gkr.cli;

import dev.gkr.Durations;
import dev.gkr.Rotator;
import dev.gkr.RotatorEvent;
import dev.gkr.RunState;
import dev.gkr.RunStats;
import dev.gkr.Task;
import dev.gkr.sim.Simulator;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tech.tablesaw.api.Table;

/**
 * {@code gkr [options] TASKS}: run a batch from a file, with live monitoring, results and a
 * checkpoint alongside.
 */
@Command(
    name = "gkr",
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
      "130:interrupted (Ctrl-C)"
    },
    subcommands = {SimulatorCommand.class, PlanCommand.class})
public final class GkrCommand implements Callable<Integer> {
  static final int OK = 0,
      SOME_FAILED = 1,
      BAD_INPUT = 2,
      NO_KEYS = 3,
      MAX_COST = 4,
      INTERRUPTED = 130;

  private static final String NO_KEYS_HINT =
      "use --keys-file FILE, set GEMINI_API_KEYS (comma-separated) or GEMINI_API_KEY, or try --simulate";

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "TASKS",
      description =
          "tasks file: .csv (prompt column), .jsonl, .json, .parquet, .txt, or - for stdin")
  String tasksFile;

  @Option(
      names = "--model",
      description = "Gemini model (default: ${DEFAULT-VALUE})",
      defaultValue = "gemini-2.5-flash")
  String model;

  @CommandLine.Mixin PaceOptions pace = new PaceOptions();

  @Option(names = "--system", description = "system instruction")
  String system;

  @Option(names = "--system-file", description = "system instruction from a file")
  Path systemFile;

  @Option(names = "--temperature", description = "sampling temperature, 0..2")
  Double temperature;

  @CommandLine.Mixin RequestOptions request = new RequestOptions();
  @CommandLine.Mixin BatchModeOptions batchMode = new BatchModeOptions();
  @CommandLine.Mixin CostOptions cost = new CostOptions();

  @Option(
      names = "--max-retries",
      description = "retries for task errors (default: ${DEFAULT-VALUE})",
      defaultValue = "3")
  int maxRetries;

  @CommandLine.Mixin LimitOptions limits = new LimitOptions();

  @Option(names = "--json", description = "ask for JSON answers and parse (and repair) them")
  boolean json;

  @Option(names = "--schema", description = "JSON Schema file for the answers (implies --json)")
  Path schema;

  @Option(names = "--flatten", description = "with --json: top-level fields become columns")
  boolean flatten;

  @Option(
      names = "--out",
      description =
          "results file, format by extension: .csv, .jsonl, .json, .parquet; - for standard output (default: <tasks>.results.csv)")
  Path out;

  @Option(
      names = "--format",
      description =
          "results format: csv, jsonl, json or parquet (default: from --out; csv for --out -)")
  String format;

  @Option(
      names = "--checkpoint",
      description = "checkpoint file (default: <tasks>.checkpoint.jsonl)")
  Path checkpoint;

  @Option(
      names = "--error-log",
      description =
          "error log file (default: named after --checkpoint, else --out, else <tasks>.errors.log)")
  Path errorLog;

  @CommandLine.Mixin KeysOptions keysOptions = new KeysOptions();

  @Option(
      names = "--base-url",
      description = "Gemini endpoint (default: env GOOGLE_GEMINI_BASE_URL, else Google)")
  String baseUrl;

  @Option(
      names = "--timeout",
      description = "per-request timeout (default: ${DEFAULT-VALUE})",
      defaultValue = "2m")
  String timeout;

  @Option(
      names = "--max-wait",
      description =
          "how long a task may wait in all through overload (503), 5xx, timeouts and storms before it ends as overloaded (default: ${DEFAULT-VALUE})",
      defaultValue = "30m")
  String maxWait;

  @Option(
      names = "--simulate",
      description = "run against the embedded Gemini simulator with demo keys (offline)")
  boolean simulate;

  @Option(
      names = "--quiet",
      description = "no live status and no key table: one summary line with the output files")
  boolean quiet;

  @Option(
      names = "--monitor-interval",
      description = "status refresh interval (default: ${DEFAULT-VALUE})",
      defaultValue = "2s")
  String monitorInterval;

  private final InputStream stdin;
  private final PrintStream stdout;
  private final PrintStream stderr;
  private final Map<String, String> env;
  private volatile PrintStream
      lines; // gkr's own stderr lines during a run: through the monitor, which wipes its status

  // line first

  public GkrCommand() {
    this(System.in, System.out, System.err, System.getenv());
  }

  GkrCommand(InputStream stdin, PrintStream stdout, PrintStream stderr, Map<String, String> env) {
    this.stdin = stdin;
    this.stdout = stdout;
    this.stderr = stderr;
    this.env = env;
    this.lines = stderr;
  }

  public static void main(String[] args) {
    dev.gkr.sim.Simulator
        .tuneJdkHttpServer(); // this process owns its JVM; the embedded and standalone simulators
    // serve faster
    System.exit(run(args, new GkrCommand()));
  }

  static int run(String[] args, GkrCommand command) {
    CommandLine cl = new CommandLine(command);
    cl.setOut(new java.io.PrintWriter(command.stdout, true));
    cl.setErr(new java.io.PrintWriter(command.stderr, true));
    cl.setExitCodeExceptionMapper(e -> BAD_INPUT);
    cl.setParameterExceptionHandler(
        (ex, a) -> {
          command.stderr.println("gkr: " + ex.getMessage());
          command.stderr.println("Try 'gkr --help' for more information.");
          return BAD_INPUT;
        });
    return cl.execute(args);
  }

  @Override
  public Integer call() {
    try {
      return execute();
    } catch (InputException
        | IllegalArgumentException
        | IllegalStateException
        | java.io.UncheckedIOException e) {
      stderr.println("gkr: " + e.getMessage());
      return BAD_INPUT;
    }
  }

  private int execute() throws InputException {
    if (tasksFile == null) throw new InputException("missing TASKS file (try --help)");
    String base = tasksFile.equals("-") ? "stdin" : stripExtension(tasksFile);
    ResultsOut resultsOut = ResultsOut.resolve(out, format, Path.of(base + ".results.csv"));
    PrintStream stdout =
        resultsOut.messages(
            this.stdout, stderr); // with --out -, standard output carries only the results
    if (resultsOut.format() == dev.gkr.Format.PARQUET
        || dev.gkr.Format.of(Path.of(tasksFile)).orElse(null) == dev.gkr.Format.PARQUET) {
      dev.gkr.Results.loadParquet(n -> stderr.println("gkr: " + n));
    }
    List<Task> tasks = TaskFiles.read(tasksFile, stdin);
    Path outPath = resultsOut.file().orElse(null);
    Path cpPath = checkpoint != null ? checkpoint : Path.of(base + ".checkpoint.jsonl");
    Path logPath =
        errorLog != null
            ? errorLog
            : OutputNames.errorLog(checkpoint, resultsOut.toStdout() ? null : out, base);
    for (Path p :
        resultsOut.toStdout() ? List.of(cpPath, logPath) : List.of(outPath, cpPath, logPath))
      requireWritable(p); // before a single request is spent

    Simulator sim = simulate ? Simulator.demo().start() : null;
    try {
      KeysFile.Keys keys =
          simulate
              ? new KeysFile.Keys(Simulator.DEMO_KEYS, Map.of())
              : keysOptions.read(env, stderr, NO_KEYS_HINT);
      Rotator rotator = configure(Rotator.keys(keys.keys()), sim, cpPath, logPath);
      keys.declareProjects(rotator);
      limits.applyTo(rotator);
      if (simulate && !quiet)
        stdout.println(
            "gkr: simulating Gemini at "
                + sim.baseUrl()
                + " with "
                + keys.keys().size()
                + " demo keys");
      Monitor monitor =
          quiet
              ? null
              : Monitor.start(
                  rotator,
                  stdout,
                  parseDuration(monitorInterval, "--monitor-interval"),
                  tasks.size());
      if (monitor != null) lines = monitor.guard(stderr);
      Thread runner = Thread.currentThread();
      Interrupts interrupts = Interrupts.install(runner, lines);
      Table results;
      try {
        results = rotator.run(tasks);
      } finally {
        interrupts.uninstall();
        if (monitor != null) monitor.stop();
        lines = stderr;
      }
      boolean interrupted = Thread.interrupted();
      resultsOut.write(results, this.stdout);
      RunStats stats = rotator.stats();
      boolean logged = Files.exists(logPath) && sizeOf(logPath) > 0;
      if (quiet) {
        stdout.println(
            Summary.quietLine(stats, resultsOut.describe(), cpPath, logged ? logPath : null));
      } else {
        stdout.println(stats.print());
        stdout.println("results:    " + resultsOut.describe());
        stdout.println("checkpoint: " + cpPath);
        if (logged) stdout.println("error log:  " + logPath);
      }
      if (stats.state() == RunState.BUDGET_REACHED) {
        stderr.println(
            String.format(
                java.util.Locale.ROOT,
                "gkr: stopped at --max-cost %s: %s; %d of %d tasks are done. "
                    + "Raise --max-cost and run the same command again to resume from the checkpoint.",
                java.math.BigDecimal.valueOf(cost.maxCost).toPlainString(), // 0.00001, not 1.0E-5
                stats.costText(),
                stats.done(),
                stats.total()));
        return MAX_COST;
      }
      if (interrupted || stats.state() == RunState.STOPPED) {
        if (simulate && stats.jobs().pending() + stats.jobs().running() > 0)
          stderr.println(
              "gkr: with --simulate those batch jobs lived in this run's simulator and stopped"
                  + " with it: a rerun submits their tasks again");
        stderr.println(
            "gkr: stopped; "
                + stats.done()
                + " of "
                + stats.total()
                + " tasks are done. Run the same command again to resume.");
        return INTERRUPTED;
      }
      if (stats.state() == RunState.MODEL_NOT_FOUND) {
        stderr.println(
            "gkr: "
                + (stats.total() - stats.succeeded())
                + " tasks were not done; fix --model (or --base-url) and run the same command again to resume.");
        return BAD_INPUT;
      }
      if (stats.state() == RunState.OVERLOADED) {
        stderr.println(
            "gkr: Gemini stayed overloaded for longer than --max-wait "
                + maxWait
                + "; "
                + (stats.total() - stats.succeeded())
                + " tasks were not done (error_type overloaded). Run the same command again later to resume.");
        return SOME_FAILED;
      }
      if (stats.state() == RunState.NO_USABLE_KEYS) {
        stderr.println(Summary.noUsableKeys(results, logged ? logPath : null));
        return NO_KEYS;
      }
      return stats.failed() > 0 ? SOME_FAILED : OK;
    } catch (tech.tablesaw.io.RuntimeIOException | java.io.UncheckedIOException e) {
      throw new InputException(
          resultsOut.describe()
              + ": cannot write results ("
              + e.getMessage()
              + "); every finished task is in "
              + cpPath);
    } finally {
      if (sim != null) sim.close();
    }
  }

  private Rotator configure(Rotator r, Simulator sim, Path cpPath, Path logPath)
      throws InputException {
    r.model(model);
    pace.applyTo(r);
    r.maxRetries(maxRetries)
        .timeout(parseDuration(timeout, "--timeout"))
        .maxWait(parseDuration(maxWait, "--max-wait"))
        .checkpoint(cpPath)
        .errorLog(logPath)
        .filesDir(TaskFields.dirOf(tasksFile));
    if (system != null && systemFile != null)
      throw new InputException("use --system or --system-file, not both");
    if (system != null) r.systemInstruction(system);
    if (systemFile != null) r.systemInstruction(readText(systemFile, "--system-file"));
    if (temperature != null) r.temperature(temperature);
    request.applyTo(r);
    batchMode.applyTo(r);
    cost.applyTo(r);
    if (schema != null) r.json(readText(schema, "--schema"));
    else if (json || flatten) r.json();
    if (flatten) r.flatten();
    if (sim != null) r.baseUrl(sim.baseUrl());
    else if (baseUrl != null) r.baseUrl(baseUrl);
    r.onEvent(
        e -> {
          if (e instanceof RotatorEvent.Notice n) lines.println("gkr: " + n.message());
          if (e instanceof RotatorEvent.JobUpdated j) {
            String counts =
                j.succeeded() + j.failed() > 0
                    ? String.format(
                        java.util.Locale.ROOT,
                        ", %d succeeded, %d failed",
                        j.succeeded(),
                        j.failed())
                    : "";
            lines.println(
                String.format(
                    java.util.Locale.ROOT,
                    "gkr: batch job %s %s (%d request%s%s)",
                    j.job(),
                    j.state(),
                    j.requests(),
                    j.requests() == 1 ? "" : "s",
                    counts));
          }
        });
    return r;
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

  /**
   * The output can be created and the disk has room: a 64 KiB probe file is written beside it and
   * removed. Checked before the first request, so a full disk or a read-only directory costs no
   * quota.
   */
  private static void requireWritable(Path p) throws InputException {
    try {
      Path parent = p.toAbsolutePath().getParent();
      if (parent != null) Files.createDirectories(parent);
      if (Files.isDirectory(p))
        throw new InputException(
            p
                + ": cannot write here: it is a directory, not a file; give the path of a file (inside it, or elsewhere)");
      if (Files.exists(p) && !Files.isRegularFile(p))
        return; // a device or a pipe, e.g. /dev/stdout: nothing to probe
      Path probe = Files.createTempFile(parent, ".gkr-space-probe-", ".tmp");
      try {
        Files.write(probe, new byte[64 * 1024]);
      } finally {
        Files.deleteIfExists(probe);
      }
      boolean existed = Files.exists(p);
      try (var ch =
          Files.newByteChannel(
              p, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
        ch.size();
      }
      if (!existed) Files.delete(p);
    } catch (IOException e) {
      throw new InputException(p + ": cannot write here (" + IoReasons.of(e) + ")");
    }
  }

  private static long sizeOf(Path p) {
    try {
      return Files.size(p);
    } catch (IOException e) {
      return 0;
    }
  }

  private static String stripExtension(String file) {
    int dot = file.lastIndexOf('.');
    int slash = file.lastIndexOf('/');
    return dot > slash + 1 ? file.substring(0, dot) : file;
  }
}
