package dev.gkr.cli;

import dev.gkr.ErrorType;
import dev.gkr.RotatorEvent;
import dev.gkr.internal.common.Numbers;
import java.nio.file.Path;
import java.util.Locale;

/**
 * gkr's own line for an event the terminal should see when it happens: a notice, a Batch Mode job's
 * change, a key retired or parked (with why, and where the detail is). Failed attempts and cooled
 * keys stay in the error log only.
 */
final class Notices {
  private final Lines lines;
  private final Path errorLog;

  /** The states in which a job is over. */
  private static final java.util.Set<String> ENDED =
      java.util.Set.of("SUCCEEDED", "FAILED", "CANCELLED", "EXPIRED");

  /** The jobs a line was printed for; events come from the batch thread and the slots. */
  private final java.util.Set<String> jobsSeen = java.util.concurrent.ConcurrentHashMap.newKeySet();

  Notices(Lines lines, Path errorLog) {
    this.lines = lines;
    this.errorLog = errorLog;
  }

  void accept(RotatorEvent e) {
    switch (e) {
      case RotatorEvent.Notice n -> lines.println("gkr: " + OptionNames.of(n.message()));
      case RotatorEvent.JobUpdated j -> {
        // One line when a job is created (or first seen again on a resume), one when it ends;
        // the states in between are the status line's job counts.
        boolean first = jobsSeen.add(j.job());
        if (first || ENDED.contains(j.state())) lines.println(job(j, first));
      }
      case RotatorEvent.KeyRetired r ->
          lines.println(
              "gkr: "
                  + r.key()
                  + " retired for this run: "
                  + r.reason().code()
                  + " ("
                  + why(r.reason())
                  + "); the other keys carry on, details in "
                  + errorLog);
      case RotatorEvent.KeyParked p ->
          lines.println(
              "gkr: "
                  + p.key()
                  + " parked for this run: "
                  + p.reason().code()
                  + " ("
                  + p.detail()
                  + "); the other keys carry on, details in "
                  + errorLog);
      default -> {}
    }
  }

  /** What a retired key's reason means for whoever holds the key. */
  static String why(ErrorType reason) {
    return switch (reason) {
      case KEY_INVALID -> "Google says the key is not valid: check or replace it";
      case KEY_SUSPENDED -> "Google has suspended the key or its project";
      case PERMISSION_DENIED -> "the key's project may not use the Gemini API";
      case MODEL_DENIED -> "the key may not use this model";
      case UNAUTHENTICATED -> "Google did not accept the key's credentials";
      default -> "the key kept failing";
    };
  }

  /**
   * {@code gkr: batch job batches/x created with key-1…0001 (5 requests)}, {@code gkr: batch job
   * batches/x SUCCEEDED (5 requests, 5 succeeded, 0 failed)}.
   */
  private static String job(RotatorEvent.JobUpdated j, boolean first) {
    String counts =
        j.succeeded() + j.failed() > 0
            ? String.format(Locale.ROOT, ", %d succeeded, %d failed", j.succeeded(), j.failed())
            : "";
    String what =
        first && j.state().equals("PENDING")
            ? "created with " + j.key()
            : first && !ENDED.contains(j.state()) ? j.state() + " (resumed)" : j.state();
    return String.format(
        Locale.ROOT,
        "gkr: batch job %s %s (%s%s)",
        j.job(),
        what,
        Numbers.count(j.requests(), "request"),
        counts);
  }
}
