package dev.gkr.sim;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Holds every answer until {@code requests} are being answered at once (each waits at most {@code
 * atMost} from its arrival), then lets them all go and never holds again. It lets a test prove how
 * many requests a client keeps in flight without guessing a latency long enough for a busy machine.
 */
final class Gate {
  static final Gate OPEN = new Gate(0, Duration.ZERO);

  private final int requests;
  private final Duration atMost;
  private final CountDownLatch open;

  Gate(int requests, Duration atMost) {
    this.requests = requests;
    this.atMost = atMost;
    this.open = new CountDownLatch(requests > 0 ? 1 : 0);
  }

  /** Called with the number of requests being answered now, this one included. */
  void pass(int inFlight) throws InterruptedException {
    if (open.getCount() == 0) return;
    if (inFlight >= requests) {
      open.countDown();
      return;
    }
    open.await(atMost.toNanos(), TimeUnit.NANOSECONDS);
  }
}
