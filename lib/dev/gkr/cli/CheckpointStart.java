package dev.gkr.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The first thing a run says about its checkpoint, before anything is sent: that it resumes from
 * one (and which), that {@code --fresh} moved one aside, or that a checkpoint named the old way (by
 * the tasks file's stem) was found and is not read.
 *
 * <p>Why the old name is not read: {@code night.checkpoint.jsonl} was shared by {@code night.csv},
 * {@code night.jsonl} and every other {@code night.*}, so it cannot say which file it belongs to.
 * Reading it silently is the bug this naming fixes; the line names the one option that resumes from
 * it on purpose.
 */
final class CheckpointStart {
  private CheckpointStart() {}

  /** {@code quiet}: say nothing about resuming or starting over (the old-name warning stays). */
  static void announce(OutputOptions.Files files, boolean quiet, PrintStream err)
      throws InputException {
    Path cp = files.checkpoint();
    if (files.fresh()) {
      if (!hasLines(cp)) return;
      Path aside = cp.resolveSibling(cp.getFileName() + ".old");
      try {
        Files.move(cp, aside, StandardCopyOption.REPLACE_EXISTING);
      } catch (IOException e) {
        throw new InputException(
            cp + ": cannot move the checkpoint aside for --fresh (" + IoReasons.of(e) + ")");
      }
      if (!quiet) err.println("gkr: --fresh: starting over; the old checkpoint is now " + aside);
      return;
    }
    if (hasLines(cp)) {
      if (!quiet)
        err.println(
            "gkr: resuming from "
                + cp
                + ": tasks finished there are not sent again (--fresh starts over)");
      return;
    }
    Path old = files.oldCheckpoint();
    if (old != null && hasLines(old))
      err.println(
          "gkr: not resuming from "
              + old
              + ": that name was shared by every tasks file of that stem, so this run's checkpoint"
              + " is "
              + cp
              + "; to resume from the old one, run again with --checkpoint "
              + old);
  }

  private static boolean hasLines(Path p) {
    try {
      return Files.isRegularFile(p) && Files.size(p) > 0;
    } catch (IOException e) {
      return false;
    }
  }
}
