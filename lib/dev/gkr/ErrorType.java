package dev.gkr;

/**
 * Why an attempt failed, decided once where the HTTP answer is read. The {@link #kind()} decides what the
 * engine does next; {@link #code()} is what the {@code error_type} column shows.
 */
public enum ErrorType {
  RATE_LIMITED(Kind.KEY_COOLDOWN),
  DAILY_LIMIT(Kind.KEY_PARKED),
  KEY_INVALID(Kind.KEY_DEAD),
  KEY_SUSPENDED(Kind.KEY_DEAD),
  PERMISSION_DENIED(Kind.KEY_DEAD),
  UNAUTHENTICATED(Kind.KEY_DEAD),
  BAD_REQUEST(Kind.TASK),
  EMPTY_ANSWER(Kind.TASK),
  BAD_JSON(Kind.TASK),
  // issue 16: told apart where the answer is read (Classifier), so no one matches on message text
  /** The answer hit maxOutputTokens (finish_reason MAX_TOKENS) in JSON mode, or came back empty because of it. */
  TRUNCATED(Kind.TASK),
  /** The prompt was refused ({@code promptFeedback.blockReason}); nothing was generated. */
  PROMPT_BLOCKED(Kind.TASK),
  /** The answer was stopped (finish_reason SAFETY, PROHIBITED_CONTENT, RECITATION, BLOCKLIST, SPII, ...). */
  ANSWER_BLOCKED(Kind.TASK),
  SERVER_ERROR(Kind.TRANSIENT),
  TIMEOUT(Kind.TRANSIENT),
  CONNECTION(Kind.TRANSIENT),
  NO_USABLE_KEYS(Kind.RUN),
  CANCELLED(Kind.RUN);

  /** What an error means for the key and the task. */
  public enum Kind {
    /** The key is over its per-minute quota: it cools down; the task moves on without using a retry. */
    KEY_COOLDOWN,
    /** The key's daily quota is spent: it is parked for the run; the task moves on without using a retry. */
    KEY_PARKED,
    /** The key is invalid, suspended or refused: retired for the run; the task moves on without using a retry. */
    KEY_DEAD,
    /** The task itself failed: uses one of its retries, the next on another key where one exists. */
    TASK,
    /** The network or the server failed: retried with backoff from a separate, bounded budget. */
    TRANSIENT,
    /** The run ended before the task could finish. */
    RUN
  }

  private final Kind kind;

  ErrorType(Kind kind) {
    this.kind = kind;
  }

  public Kind kind() {
    return kind;
  }

  /** Lower-case name, e.g. {@code rate_limited}, as shown in results and logs. */
  public String code() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
