package dev.gkr;

import java.util.Locale;

/**
 * Where a run is, from {@link RunStats#state()}: before, during, and how it ended. {@link
 * #toString()} is the lower-case {@link #code()} the command and the summary print.
 */
public enum RunState {
  NOT_STARTED,
  STARTING,
  RUNNING,
  /**
   * Stopping gracefully (an interrupt, or a budget): requests in flight finish, nothing new starts.
   */
  STOPPING,
  /** Every task has its final result. */
  COMPLETED,
  /** Stopped before every task finished; a rerun resumes. */
  STOPPED,
  /** Every key was retired or parked. */
  NO_USABLE_KEYS,
  /** A storm outlasted {@code maxWait}. */
  OVERLOADED,
  /** The model does not exist (404). */
  MODEL_NOT_FOUND,
  /**
   * Gemini could not be reached: not one request had an answer, and every key failed the same way
   * before a connection was made (unknown host, connection refused, TLS, ...).
   */
  UNREACHABLE,
  /**
   * Nothing more fits under {@code maxCost}: stopped gracefully; a rerun with a higher cap resumes.
   */
  BUDGET_REACHED;

  /** Still going: tasks may start or are in flight. */
  public boolean active() {
    return this == RUNNING || this == STOPPING;
  }

  /** Lower-case name, e.g. {@code no_usable_keys}, as printed. */
  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }

  @Override
  public String toString() {
    return code();
  }
}
