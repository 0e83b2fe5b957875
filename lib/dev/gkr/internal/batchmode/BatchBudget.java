package dev.gkr.internal.batchmode;

import dev.gkr.Outcome;
import dev.gkr.internal.common.ApiKey;
import dev.gkr.internal.cost.Ledger;
import dev.gkr.internal.cost.PriceTier;
import dev.gkr.internal.task.TaskState;
import java.util.List;

/**
 * The maxCost cap in Batch Mode: a task put in a job reserves its worst case at the batch rate, and
 * keeps the reservation until its answer is billed ({@link #bill}) or it leaves the job unanswered
 * ({@link #release}), exactly once either way.
 */
final class BatchBudget {
  private final Ledger ledger;
  private final BatchContext run;
  private boolean reached;

  /** No room for the last job, but reservations are held that free room when billed. */
  private boolean waiting;

  /** The worst case of the first task that did not fit, for the message. */
  private double nextWorst;

  BatchBudget(Ledger ledger, BatchContext run) {
    this.ledger = ledger;
    this.run = run;
  }

  /** A re-attached job runs whatever the cap: its worst case counts against it. */
  void reserveCommitted(TaskState t) {
    t.reserved(
        ledger.reserveCommitted(
            t.estimatedTokens(system()), t.request().ownMaxOutputTokens(), PriceTier.BATCH));
  }

  /** A new round of submits: room is looked for again. */
  void newRound() {
    waiting = false;
  }

  /**
   * The first of {@code tasks} whose worst case fits under maxCost at the batch rate, each reserved
   * until its answer is billed; the others go back to the front of the queue.
   */
  List<TaskState> affordable(List<TaskState> tasks) {
    if (!ledger.capped()) return tasks;
    String system = system();
    int fit = 0;
    for (; fit < tasks.size(); fit++) {
      TaskState t = tasks.get(fit);
      double reserved =
          ledger.tryReserve(
              t.estimatedTokens(system), t.request().ownMaxOutputTokens(), PriceTier.BATCH);
      if (reserved < 0) {
        waiting = reserved == Ledger.NO_ROOM_YET;
        nextWorst =
            ledger.worstCase(
                t.estimatedTokens(system), t.request().ownMaxOutputTokens(), PriceTier.BATCH);
        break;
      }
      t.reserved(reserved);
    }
    run.work().putBack(tasks.subList(fit, tasks.size()));
    return List.copyOf(tasks.subList(0, fit));
  }

  /** True when the last round found no room, but held reservations free some when billed. */
  boolean waiting() {
    return waiting;
  }

  /** Bills an answer of a job (at the batch rate), then frees its reservation. */
  void bill(TaskState t, ApiKey key, Outcome o) {
    ledger.bill(key.index(), o, PriceTier.BATCH).ifPresent(t::charged);
    release(t); // after the bill: no one may see room that is already spent
  }

  /** Frees the reservation of a task that leaves its job without an answer. */
  void release(TaskState t) {
    ledger.release(t.releaseReservation());
  }

  /**
   * Nothing more fits under maxCost and no job is running: the queued tasks end cancelled (not
   * checkpointed: a rerun with a higher cap sends them), as in a synchronous run.
   */
  void overBudget() {
    reached = true;
    run.notice(ledger.capReached(nextWorst));
    for (TaskState t : run.work().drainQueue()) t.leaveOverBudget(ledger.cap());
  }

  /** True when the run stopped at maxCost with tasks left. */
  boolean reached() {
    return reached;
  }

  private String system() {
    return run.settings().systemInstruction().orElse("");
  }
}
