package dev.gkr.internal.engine;

import dev.gkr.NetworkCause;
import dev.gkr.Outcome;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.IntPredicate;

/**
 * Tells a run that cannot reach Gemini at all from one that meets a passing failure. Without it a
 * run with no network (no DNS, a closed port, a proxy that refuses TLS) retries for {@code maxWait}
 * and ends as "overloaded", with the reason hidden. The rule: not one request of the run has had an
 * HTTP answer (any answer, even an error, proves the way is open), every usable key's last {@link
 * #IN_A_ROW} requests failed before a connection was made, all with the same cause, and the first
 * of those failures is at least {@link #SPAN} old (half of maxWait when that is less), so a blip
 * while the laptop's Wi-Fi comes back does not end a nightly run. A reset or a slow answer never
 * counts: something answered at the other end. Guarded by the {@link Scheduler}'s lock.
 */
final class NetworkWatch {
  /** Failures of the network in a row each usable key must have had. */
  static final int IN_A_ROW = 2;

  /** How long the failures must have gone on, at least (less when maxWait is shorter). */
  static final Duration SPAN = Duration.ofSeconds(10);

  private static final Optional<NetworkCause> RESET = Optional.of(NetworkCause.CONNECTION_RESET);

  private final IntPredicate usable;
  private final long spanNanos;
  private final int[] inARow;
  private boolean reached;
  private NetworkCause cause;
  private long firstNanos;
  private String lastMessage = "";

  /** For {@code keys} keys, of which those {@code usable} says count. */
  NetworkWatch(int keys, IntPredicate usable, Duration maxWait) {
    this.usable = usable;
    this.spanNanos = Math.min(SPAN.toNanos(), maxWait.toNanos() / 2);
    this.inARow = new int[keys];
  }

  /**
   * Hears of one answer of {@code key}; returns the cause when the run should stop because Gemini
   * cannot be reached, once.
   */
  Optional<NetworkCause> heard(int key, Outcome outcome, long nanos) {
    if (reached) return Optional.empty();
    Optional<NetworkCause> failed =
        outcome instanceof Outcome.Failure f && f.httpCode() == 0
            ? f.network().filter(NetworkCause::noConnection)
            : Optional.empty();
    if (failed.isEmpty()) {
      if (outcome instanceof Outcome.Success || ((Outcome.Failure) outcome).httpCode() > 0)
        reached = true; // an HTTP answer: the way to Gemini is open
      else if (((Outcome.Failure) outcome).network().equals(RESET))
        Arrays.fill(inARow, 0); // something answered at the other end: the row is broken
      return Optional.empty();
    }
    if (failed.get() != cause) {
      cause = failed.get();
      firstNanos = nanos;
      Arrays.fill(inARow, 0);
    }
    inARow[key]++;
    lastMessage = ((Outcome.Failure) outcome).message();
    if (nanos - firstNanos < spanNanos) return Optional.empty();
    for (int k = 0; k < inARow.length; k++)
      if (usable.test(k) && inARow[k] < IN_A_ROW) return Optional.empty();
    reached = true; // said once
    return Optional.of(cause);
  }

  /** The last failure's message, with the address it could not reach. */
  String lastMessage() {
    return lastMessage;
  }
}
