package dev.gkr.cli;

import dev.gkr.Format;
import dev.gkr.Results;
import dev.gkr.Rotator;
import dev.gkr.RunState;
import dev.gkr.RunStats;
import dev.gkr.Task;
import dev.gkr.internal.common.Numbers;
import dev.gkr.sim.Simulator;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tech.tablesaw.api.Table;

/**
 * One run of {@code gkr}: reads the tasks, checks every output can be written, runs the rotator
 * under a monitor and the interrupt handlers, writes the results, prints the summary and says how
 * the run ended, as an exit code and, when it did not simply complete, a line saying what to do.
 */
final class Job {
  private final GkrCommand command;
  private final InputStream stdin;
  private final PrintStream stdout;
  private final PrintStream stderr;

  Job(GkrCommand command, InputStream stdin, PrintStream stdout, PrintStream stderr) {
    this.command = command;
    this.stdin = stdin;
    this.stdout = stdout;
    this.stderr = stderr;
  }

  int run() throws InputException {
    String tasksFile = command.tasksFile();
    OutputOptions.Files files = command.outputs();
    ResultsOut resultsOut = files.results();
    // with --out -, standard output carries only the results
    PrintStream out = resultsOut.messages(stdout, stderr);
    if (resultsOut.format() == Format.PARQUET
        || Format.of(Path.of(tasksFile)).orElse(null) == Format.PARQUET) {
      Results.loadParquet(n -> stderr.println("gkr: " + n));
    }
    command.endpoint(); // a key must never go out in clear text: checked before anything is read
    List<Task> tasks = TaskFiles.read(tasksFile, stdin, command.fileScope());
    Path cpPath = files.checkpoint();
    Path logPath = files.errorLog();
    for (Path p :
        resultsOut.toStdout()
            ? List.of(cpPath, logPath)
            : List.of(resultsOut.file().orElseThrow(), cpPath, logPath))
      requireWritable(p); // before a single request is spent
    CheckpointStart.announce(files, command.quiet(), stderr);

    if (command.simulate() && command.keysFile() != null)
      stderr.println(
          "gkr: --simulate uses the simulator's demo keys; --keys-file "
              + command.keysFile()
              + " is not read (drop --simulate to use it)");
    Simulator sim = command.simulate() ? Simulator.demo().start() : null;
    try {
      KeysFile.Keys keys =
          sim != null ? new KeysFile.Keys(Simulator.DEMO_KEYS, Map.of()) : command.keys(stderr);
      // Printed once the run is under way: an input error found when the run starts comes alone.
      OpeningLine opening =
          sim != null && !command.quiet()
              ? new OpeningLine(
                  out,
                  "gkr: simulating Gemini at "
                      + sim.baseUrl()
                      + " with "
                      + Numbers.count(keys.keys().size(), "demo key"))
              : OpeningLine.none();
      Lines lines = new Lines(stderr, opening);
      Rotator rotator = command.configure(keys, sim, files, lines);
      Monitor monitor =
          command.quiet()
              ? null
              : Monitor.start(rotator, out, command.monitorInterval(), tasks.size());
      if (monitor != null) monitor.opening(opening);
      if (monitor != null) lines.route(monitor.guard(stderr));
      Interrupts interrupts = Interrupts.install(Thread.currentThread(), lines);
      Table results;
      try {
        results = command.shaped(rotator.run(tasks));
      } finally {
        interrupts.uninstall();
        if (monitor != null) monitor.stop();
        lines.route(stderr);
      }
      boolean interrupted = Thread.interrupted();
      opening.print();
      resultsOut.write(results, stdout, nested(tasks));
      RunStats stats = rotator.stats();
      boolean logged = Files.exists(logPath) && sizeOf(logPath) > 0;
      if (command.quiet()) {
        out.println(
            Summary.quietLine(stats, resultsOut.describe(), cpPath, logged ? logPath : null));
      } else {
        out.println(stats.print());
        out.println("results:    " + resultsOut.describe());
        out.println("checkpoint: " + cpPath);
        if (logged) out.println("error log:  " + logPath);
      }
      return ending(stats, results, interrupted, sim != null, logged ? logPath : null);
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

  /** The exit code of a run that ended this way, after the line that says what to do next. */
  private int ending(
      RunStats stats, Table results, boolean interrupted, boolean simulated, Path errorLog) {
    if (stats.state() == RunState.BUDGET_REACHED) {
      stderr.println(
          String.format(
              Locale.ROOT,
              "gkr: stopped at --max-cost %s: %s; %d of %s are done. Raise --max-cost (see"
                  + " above for how far) and run the same command again to resume from the"
                  + " checkpoint.",
              BigDecimal.valueOf(command.maxCost()).toPlainString(), // 0.00001, not 1.0E-5
              stats.costText(),
              stats.done(),
              Numbers.count(stats.total(), "task")));
      return GkrCommand.MAX_COST;
    }
    if (interrupted || stats.state() == RunState.STOPPED) {
      if (simulated && stats.jobs().pending() + stats.jobs().running() > 0)
        stderr.println(
            "gkr: with --simulate those batch jobs lived in this run's simulator and stopped"
                + " with it: a rerun submits their tasks again");
      stderr.println(
          "gkr: stopped; "
              + stats.done()
              + " of "
              + Numbers.count(stats.total(), "task")
              + " are done. Run the same command again to resume.");
      return GkrCommand.INTERRUPTED;
    }
    if (stats.state() == RunState.MODEL_NOT_FOUND) {
      stderr.println(
          "gkr: "
              + notDone(stats)
              + " not done; fix --model (or --base-url) and run the same command again to resume.");
      return GkrCommand.BAD_INPUT;
    }
    if (stats.state() == RunState.UNREACHABLE) {
      stderr.println(
          "gkr: "
              + notDone(stats)
              + " not done (error_type connection): Gemini could not be reached (see above);"
              + " check the network, a proxy and --base-url, then run the same command again to"
              + " resume.");
      return GkrCommand.UNREACHABLE;
    }
    if (stats.state() == RunState.OVERLOADED) {
      stderr.println(
          "gkr: Gemini stayed overloaded for longer than --max-wait "
              + command.maxWait()
              + "; "
              + notDone(stats)
              + " not done (error_type overloaded). Run the same command again later to resume.");
      return GkrCommand.SOME_FAILED;
    }
    if (stats.state() == RunState.NO_USABLE_KEYS) {
      stderr.println(Summary.noUsableKeys(results, errorLog));
      return GkrCommand.NO_KEYS;
    }
    return stats.failed() > 0 ? GkrCommand.SOME_FAILED : GkrCommand.OK;
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

  /** The metadata fields that were an object or an array in the tasks file. */
  private static java.util.Set<String> nested(List<Task> tasks) {
    java.util.Set<String> out = new java.util.HashSet<>();
    for (Task t : tasks)
      t.metadata()
          .forEach(
              (k, v) -> {
                if (v instanceof Map<?, ?> || v instanceof java.util.Collection<?>) out.add(k);
              });
    return out;
  }

  /** {@code 1 task was}, {@code 8 tasks were}. */
  private static String notDone(RunStats stats) {
    long n = stats.total() - stats.succeeded();
    return Numbers.count(n, "task") + (n == 1 ? " was" : " were");
  }
}
