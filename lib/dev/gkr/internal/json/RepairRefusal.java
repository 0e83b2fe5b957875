package dev.gkr.internal.json;

/**
 * Why {@link JsonRepair} refused an answer. Decided once, where the text is read; callers switch on
 * it rather than on message text.
 */
public enum RepairRefusal {
  /** The answer is empty or blank. */
  EMPTY,
  /** No JSON object or array anywhere in the answer. */
  NO_VALUE,
  /**
   * More than one JSON value (or JSON-like content after the value that cannot be merged into it).
   */
  SEVERAL_VALUES,
  /** Two readings are plausible and they give different values; the message names the spot. */
  AMBIGUOUS,
  /**
   * The caller said the text was cut off (MAX_TOKENS) and the value is incomplete: nothing is
   * closed for it.
   */
  CUT_OFF,
  /** The text cannot be read as JSON even leniently; the message names the spot. */
  MALFORMED
}
