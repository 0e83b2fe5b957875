package dev.gkr;

import java.util.Locale;

/** A key's state in {@link KeyStats}; {@link #toString()} is the lower-case {@link #code()}. */
public enum KeyStatus {
  /** Sending. */
  ACTIVE,
  /** Paused: its per-minute quota, or its project waits (tokens, a 429 without details). */
  COOLING,
  /** Out of quota for the day (or it kept refusing): sends nothing more this run. */
  PARKED,
  /** Invalid, suspended or refused: sends nothing more this run. */
  RETIRED;

  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }

  @Override
  public String toString() {
    return code();
  }
}
