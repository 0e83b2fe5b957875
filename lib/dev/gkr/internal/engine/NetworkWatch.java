package dev.gkr.internal.engine;

import dev.gkr.NetworkCause;
import dev.gkr.Outcome;
import java.time.Duration;
import java.util.Optional;

/**
 * Tells a run that cannot reach Gemini at all from one that meets a passing failure. Without it a
 * run with no network (no DNS, a closed port, a proxy that refuses TLS) retries for {@code maxWait}
 * and ends as "overloaded", with the reason hidden. The rule: not one request of the run, on any
 * key, has had an HTTP answer (any answer, even an error, proves the way is open); the last {@link
 * #IN_A_ROW} requests or more failed before a connection was made, all with the same cause (so
 * every key that was tried failed that way: all keys go to the same host); and the first of those
 * failures is at least {@link #SPAN} old (half of maxWait when that is less), so a blip while the
 * laptop's Wi-Fi comes back does not end a nightly run. A reset breaks the row (something answered
 * at the other end); a timeout neither counts nor breaks it (it may have come before or after the
 * connection was made). No count per key: with a failure as quick as a failed lookup the run-wide
 * throttle engages before every key has sent, and then only its probes go out. Guarded by the
 * {@link Scheduler}'s lock.
 */
final class NetworkWatch {
  /** Failures of the network in a row, at least. */
  static final int IN_A_ROW = 3;

  /** How long the failures must have gone on, at least (less when maxWait is shorter). */
  static final Duration SPAN = Duration.ofSeconds(10);

  private final long spanNanos;
  private int inARow;
  private boolean reached;
  private NetworkCause cause;
  private long firstNanos;
  private String lastMessage = "";

  NetworkWatch(Duration maxWait) {
    this.spanNanos = Math.min(SPAN.toNanos(), maxWait.toNanos() / 2);
  }

  /**
   * Hears of one answer; returns the cause when the run should stop because Gemini cannot be
   * reached, once.
   */
  Optional<NetworkCause> heard(Outcome outcome, long nanos) {
    if (reached) return Optional.empty();
    Optional<NetworkCause> failed =
        outcome instanceof Outcome.Failure f && f.httpCode() == 0
            ? f.network().filter(NetworkCause::noConnection)
            : Optional.empty();
    if (failed.isEmpty()) {
      if (outcome instanceof Outcome.Success || ((Outcome.Failure) outcome).httpCode() > 0)
        reached = true; // an HTTP answer: the way to Gemini is open
      else if (((Outcome.Failure) outcome).network().equals(RESET))
        inARow = 0; // something answered at the other end: the row is broken
      return Optional.empty();
    }
    if (failed.get() != cause || inARow == 0) {
      cause = failed.get();
      firstNanos = nanos;
      inARow = 0;
    }
    inARow++;
    lastMessage = ((Outcome.Failure) outcome).message();
    if (inARow < IN_A_ROW || nanos - firstNanos < spanNanos) return Optional.empty();
    reached = true; // said once
    return Optional.of(cause);
  }

  private static final Optional<NetworkCause> RESET = Optional.of(NetworkCause.CONNECTION_RESET);

  /** The last failure's message, with the address it could not reach. */
  String lastMessage() {
    return lastMessage;
  }
}
