package dev.gkr;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What happens during a run, for listeners registered with {@link Rotator#onEvent}. Keys appear as
 * {@code key-3…9kQz}, never whole. Listeners run on the slot's thread: keep them quick; one that
 * throws is ignored so it cannot break a run.
 */
public sealed interface RotatorEvent {

  Instant time();

  /**
   * A task has its final result (success, or failure after its retries); {@code errorType} is empty
   * on success.
   */
  record TaskDone(
      Instant time,
      String taskId,
      boolean success,
      int attempts,
      String key,
      int slot,
      Duration latency,
      Optional<ErrorType> errorType)
      implements RotatorEvent {}

  /**
   * A request failed; {@code next} says what happens now, e.g. {@code "retry 2/3 on another key"},
   * {@code "back to the queue (no retry used)"} or {@code "task failed"}.
   */
  record AttemptFailed(
      Instant time,
      String taskId,
      int attempt,
      String key,
      int slot,
      Outcome.Failure failure,
      String next)
      implements RotatorEvent {}

  /** A key hit its per-minute quota; all its slots pause for {@code delay}. */
  record KeyCooled(Instant time, String key, Duration delay) implements RotatorEvent {}

  /**
   * A key is out of quota for the day ({@code reason} {@link ErrorType#DAILY_LIMIT}) or kept
   * refusing ({@link ErrorType#RATE_LIMITED}); it sends nothing more this run. {@code detail} says
   * more, for people.
   */
  record KeyParked(Instant time, String key, ErrorType reason, String detail)
      implements RotatorEvent {}

  /** A key is invalid, suspended or refused; it is retired for the run. */
  record KeyRetired(Instant time, String key, ErrorType reason) implements RotatorEvent {}

  /**
   * A Batch Mode job was submitted, changed state, or was collected: {@code state} is PENDING,
   * RUNNING, SUCCEEDED, FAILED, CANCELLED or EXPIRED; the counts are its requests and, once
   * collected, their outcomes.
   */
  record JobUpdated(
      Instant time, String job, String key, String state, int requests, int succeeded, int failed)
      implements RotatorEvent {}

  /**
   * Something the user should know that is not an error, e.g. tasks redone because their prompt
   * changed.
   */
  record Notice(Instant time, String message) implements RotatorEvent {}
}
