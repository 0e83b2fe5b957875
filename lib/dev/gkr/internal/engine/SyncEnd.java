package dev.gkr.internal.engine;

import dev.gkr.ErrorType;

/** Why the synchronous part of a run ended. */
public enum SyncEnd {
  COMPLETED,
  NO_USABLE_KEYS,
  OVERLOADED,
  MODEL_NOT_FOUND,
  /** Not one request reached Gemini: every key failed the same way before a connection. */
  UNREACHABLE,
  STOPPED,
  BUDGET_REACHED;

  /** The error type of the tasks this end leaves without a result. */
  ErrorType unfinished() {
    return switch (this) {
      case NO_USABLE_KEYS -> ErrorType.NO_USABLE_KEYS;
      case OVERLOADED -> ErrorType.OVERLOADED;
      case MODEL_NOT_FOUND -> ErrorType.MODEL_NOT_FOUND;
      case UNREACHABLE -> ErrorType.CONNECTION;
      default -> ErrorType.CANCELLED;
    };
  }
}
