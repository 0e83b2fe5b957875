package dev.gkr;

/**
 * Why an attempt failed, decided once where the HTTP answer is read. The {@link #kind()} decides
 * what the engine does next; {@link #code()} is what the {@code error_type} column shows.
 */
public enum ErrorType {
  RATE_LIMITED(Kind.KEY_COOLDOWN),
  /**
   * A 429 for the project's input tokens per minute: slows the project's token pacing, not its
   * request pacing.
   */
  TOKEN_LIMITED(Kind.KEY_COOLDOWN),
  /**
   * A 429 without quota details (capacity or a spend cap): not the key's fault; its project pauses.
   */
  THROTTLED(Kind.SLOWDOWN),
  DAILY_LIMIT(Kind.KEY_PARKED),
  KEY_INVALID(Kind.KEY_DEAD),
  KEY_SUSPENDED(Kind.KEY_DEAD),
  PERMISSION_DENIED(Kind.KEY_DEAD),
  /** A 403 PERMISSION_DENIED on the model: this key may not use it; retired, reported once. */
  MODEL_DENIED(Kind.KEY_DEAD),
  UNAUTHENTICATED(Kind.KEY_DEAD),
  BAD_REQUEST(Kind.TASK),
  EMPTY_ANSWER(Kind.TASK),
  BAD_JSON(Kind.TASK),
  /**
   * A JSON answer that does not bind to the record type of {@link Rotator#json(Class)}: a required
   * field missing, a value of the wrong type, an enum value outside the set. The error names the
   * place ({@code $.pros[1]}) and why; retried like {@link #BAD_JSON}.
   */
  SCHEMA_MISMATCH(Kind.TASK),
  // Told apart where the answer is read (Classifier), so no one matches on message text.
  /**
   * The answer hit maxOutputTokens (finish_reason MAX_TOKENS) in JSON mode, or came back empty
   * because of it.
   */
  TRUNCATED(Kind.TASK),
  /** The prompt was refused ({@code promptFeedback.blockReason}); nothing was generated. */
  PROMPT_BLOCKED(Kind.TASK),
  /**
   * The answer was stopped (finish_reason SAFETY, PROHIBITED_CONTENT, RECITATION, BLOCKLIST, SPII,
   * ...).
   */
  ANSWER_BLOCKED(Kind.TASK),
  /**
   * A file of the task could not be uploaded through the Files API after the SDK's own retries (it
   * gives up with "Upload failed. Retries exhausted"): the problem of that file and the tasks that
   * use it, not the service's, so it uses one of the task's retries and never engages the run-wide
   * throttle. An upload refused with a 5xx or 429, or cut off by the network, keeps that kind.
   */
  UPLOAD_FAILED(Kind.TASK),
  /**
   * A text to embed is over the model's input limit (2,048 tokens for gemini-embedding-001): Gemini
   * refuses its call with a 400 naming it; the text fails alone, its pack goes again.
   */
  INPUT_TOO_LONG(Kind.TASK),
  SERVER_ERROR(Kind.TRANSIENT),
  /**
   * 503 "The model is overloaded"; also the final type of a task whose {@code maxWait} ran out in a
   * storm.
   */
  OVERLOADED(Kind.TRANSIENT),
  TIMEOUT(Kind.TRANSIENT),
  CONNECTION(Kind.TRANSIENT),
  NO_USABLE_KEYS(Kind.RUN),
  /** 404: the model (or the endpoint) does not exist; the run stops at once, with one message. */
  MODEL_NOT_FOUND(Kind.RUN),
  CANCELLED(Kind.RUN);

  /** What an error means for the key and the task. */
  public enum Kind {
    /**
     * A per-minute quota is spent (requests: the key cools down; input tokens: its project waits);
     * the task moves on without using a retry.
     */
    KEY_COOLDOWN,
    /**
     * The key's daily quota is spent: it is parked for the run; the task moves on without using a
     * retry.
     */
    KEY_PARKED,
    /**
     * The key is invalid, suspended or refused: retired for the run; the task moves on without
     * using a retry.
     */
    KEY_DEAD,
    /**
     * The task itself failed: uses one of its retries, the next on another key where one exists.
     */
    TASK,
    /**
     * The network or the server failed: retried with jittered backoff within the task's {@code
     * maxWait}.
     */
    TRANSIENT,
    /**
     * A 429 that is nobody's key's fault (no quota details): the project pauses; no retry used, no
     * strike.
     */
    SLOWDOWN,
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

  /**
   * The type whose {@link #code()} this is; empty for {@code ""} (a success) or a code this version
   * does not know.
   */
  public static java.util.Optional<ErrorType> ofCode(String code) {
    for (ErrorType t : values()) if (t.code().equals(code)) return java.util.Optional.of(t);
    return java.util.Optional.empty();
  }
}
