package dev.gkr.internal.engine;

import dev.gkr.internal.common.Clock;
import dev.gkr.internal.keys.KeyBook;
import dev.gkr.internal.keys.KeyState;
import dev.gkr.internal.task.TaskState;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.function.IntPredicate;

/**
 * The tasks waiting for a slot: the ready ones in order (a task sent back goes to the front, so it
 * is not starved behind the rest), and the ones waiting out a transient backoff until their {@code
 * notBefore}. Guarded by the {@link Scheduler}'s lock.
 */
final class TaskQueue {
  /** How far into the queue a slot looks for a task that has not tried its key. */
  private static final int SCAN = 64;

  private final ArrayDeque<TaskState> ready;
  private final PriorityQueue<TaskState> delayed =
      new PriorityQueue<>(Comparator.comparingLong(TaskState::notBefore));

  TaskQueue(List<TaskState> todo) {
    this.ready = new ArrayDeque<>(todo);
  }

  /** Back to the front of the queue. */
  void requeue(TaskState t) {
    ready.addFirst(t);
  }

  /** Waits until {@code notBefore} on the run's clock, then goes to the front. */
  void delay(TaskState t, long notBefore) {
    t.delayUntil(notBefore);
    delayed.add(t);
  }

  /** Delayed tasks whose time has come go to the front of the ready queue. */
  void promoteDelayed(long now) {
    while (!delayed.isEmpty() && delayed.peek().notBefore() <= now) ready.addFirst(delayed.poll());
  }

  /**
   * The first task in reach that has not tried this key; else one with no untried key free now
   * ({@code skipped} keys do not count: those the current model refused); else null.
   */
  TaskState pick(KeyState k, KeyBook keys, IntPredicate skipped, long now) {
    TaskState fallback = null;
    int scanned = 0;
    for (Iterator<TaskState> it = ready.iterator(); it.hasNext() && scanned++ < SCAN; ) {
      TaskState t = it.next();
      if (!t.tried(k.index())) {
        it.remove();
        return t;
      }
      if (fallback == null && !keys.hasUntriedFreeKey(i -> t.tried(i) || skipped.test(i), now))
        fallback = t;
    }
    if (fallback != null) ready.removeFirstOccurrence(fallback);
    return fallback;
  }

  /** The task a slot would take next, or null when none is ready. */
  TaskState peekReady() {
    return ready.peekFirst();
  }

  boolean hasReady() {
    return !ready.isEmpty();
  }

  /** When the first delayed task may go, or {@link Clock#NO_DEADLINE}. */
  long nextDelayed() {
    return delayed.isEmpty() ? Clock.NO_DEADLINE : delayed.peek().notBefore();
  }

  int size() {
    return ready.size() + delayed.size();
  }
}
