package dev.gkr.cli;

import dev.gkr.ErrorType;
import dev.gkr.RunStats;
import dev.gkr.internal.common.Numbers;
import java.nio.file.Path;
import java.util.Locale;
import tech.tablesaw.api.Table;

/**
 * The command's closing lines that are not the stats table: the one line of {@code --quiet}, and
 * how to go on.
 */
final class Summary {
  private Summary() {}

  /**
   * {@code completed: 40 tasks, 38 succeeded, 2 failed | results: t.results.csv | checkpoint:
   * t.checkpoint.jsonl | error log: t.errors.log}.
   */
  static String quietLine(RunStats stats, String results, Path checkpoint, Path errorLogOrNull) {
    return String.format(
            Locale.ROOT,
            "%s: %s, %d succeeded, %d failed%s | results: %s | checkpoint: %s%s",
            stats.state(),
            Numbers.count(stats.total(), "task"),
            stats.succeeded(),
            stats.failed(),
            stats.restored() > 0 ? " (" + stats.restored() + " restored from checkpoint)" : "",
            results,
            checkpoint,
            errorLogOrNull == null ? "" : " | error log: " + errorLogOrNull)
        + " | "
        + stats.costText();
  }

  /**
   * Every key retired or parked: how many tasks are left (the rows marked {@code no_usable_keys},
   * which the checkpoint does not keep) and how to finish them.
   */
  static String noUsableKeys(Table results, Path errorLogOrNull) {
    String code = ErrorType.NO_USABLE_KEYS.code();
    long left = results.stringColumn("error_type").asList().stream().filter(code::equals).count();
    return String.format(
        Locale.ROOT,
        "gkr: no usable key was left; %d of %s were not done (error_type %s)%s. "
            + "Add a working key (--keys-file or GEMINI_API_KEYS) and run the same command again: the checkpoint keeps "
            + "the finished tasks and only the %d left are sent.",
        left,
        Numbers.count(results.rowCount(), "task"),
        code,
        errorLogOrNull == null ? "" : "; why each key stopped is in " + errorLogOrNull,
        left);
  }
}
