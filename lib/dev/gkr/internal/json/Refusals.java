package dev.gkr.internal.json;

import dev.gkr.internal.json.JsonRepair.RepairException;

/** The refusals {@link LenientJson} gives, each naming the spot in the text (1-based). */
final class Refusals {
  private Refusals() {}

  static RepairException malformed(String message) {
    return new RepairException(RepairRefusal.MALFORMED, message);
  }

  static RepairException ambiguous(String message) {
    return new RepairException(RepairRefusal.AMBIGUOUS, message);
  }

  /** {@code c} at {@code at} where the innermost open container wants {@code expected}. */
  static RepairException closesNothing(char c, int at, char expected) {
    return malformed(
        "'"
            + c
            + "' at character "
            + (at + 1)
            + " closes nothing open (expected '"
            + expected
            + "')");
  }

  /** {@code [{]}: a closer of the wrong kind right after an opener. */
  static RepairException closesEmpty(char c, int at, char opener) {
    return ambiguous(
        "'"
            + c
            + "' at character "
            + (at + 1)
            + " closes an empty '"
            + opener
            + "': an empty value or a stray bracket?");
  }

  /** An ellipsis where a key or element should be: content was elided; no value stands for it. */
  static RepairException elided(int at) {
    return malformed(
        "content was elided at character " + (at + 1) + " ('...'): dropping it would lose it");
  }
}
