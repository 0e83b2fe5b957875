package dev.gkr.cli;

import dev.gkr.ErrorType;
import dev.gkr.RotatorEvent;
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

  Notices(Lines lines, Path errorLog) {
    this.lines = lines;
    this.errorLog = errorLog;
  }

  void accept(RotatorEvent e) {
    switch (e) {
      case RotatorEvent.Notice n -> lines.println("gkr: " + OptionNames.of(n.message()));
      case RotatorEvent.JobUpdated j -> lines.println(job(j));
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

  private static String job(RotatorEvent.JobUpdated j) {
    String counts =
        j.succeeded() + j.failed() > 0
            ? String.format(Locale.ROOT, ", %d succeeded, %d failed", j.succeeded(), j.failed())
            : "";
    return String.format(
        Locale.ROOT,
        "gkr: batch job %s %s (%d request%s%s)",
        j.job(),
        j.state(),
        j.requests(),
        j.requests() == 1 ? "" : "s",
        counts);
  }
}
