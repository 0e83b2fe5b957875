package dev.gkr.internal.engine;

import dev.gkr.Outcome;
import dev.gkr.RotatorEvent;
import dev.gkr.internal.call.AnswerCheck;
import dev.gkr.internal.call.Transport;
import dev.gkr.internal.common.ApiKey;
import dev.gkr.internal.config.Settings;
import dev.gkr.internal.cost.Ledger;
import dev.gkr.internal.store.Checkpoint;
import dev.gkr.internal.task.TaskState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The synchronous part of a run: one virtual thread per slot, in an executor this pool owns, each
 * taking tasks from the {@link Scheduler}, sending them and reporting the answers; every finished
 * task goes to the checkpoint as it finishes. No thread outlives {@link #run}. An interrupt
 * (Ctrl-C) stops it gracefully: no new requests, those in flight get the grace period, then
 * everything is cancelled.
 */
public final class SlotPool {
  /** Live count of slot threads, so tests can prove that none outlives a run. */
  public static final AtomicInteger LIVE_SLOTS = new AtomicInteger();

  private final Settings settings;
  private final Scheduler scheduler;
  private final Transport transport;
  private final Ledger ledger;
  private final Checkpoint checkpoint;
  private final Consumer<RotatorEvent> events;
  private final Runnable stopping;
  private final java.util.List<String> models;

  /** The first error that broke a slot (not an answer: a bug, or a checkpoint that cannot grow). */
  private final AtomicReference<Throwable> fatal = new AtomicReference<>();

  /**
   * @param checkpoint where finished tasks go, or null
   * @param events where every event goes (listeners, the error log)
   * @param stopping called when an interrupt starts a graceful stop
   */
  public SlotPool(
      Settings settings,
      Scheduler scheduler,
      Transport transport,
      Ledger ledger,
      Checkpoint checkpoint,
      Consumer<RotatorEvent> events,
      Runnable stopping) {
    this.settings = settings;
    this.scheduler = scheduler;
    this.transport = transport;
    this.ledger = ledger;
    this.checkpoint = checkpoint;
    this.events = events;
    this.stopping = stopping;
    this.models = settings.models();
  }

  /**
   * Runs every slot until the scheduler hands out no more tasks. Keeps the thread's interrupt flag
   * when interrupted; returns the first error that broke a slot, if any.
   */
  public Optional<Throwable> run() {
    boolean interrupted = false;
    ExecutorService slots =
        Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("gkr-slot-", 1).factory());
    long every = settings.every().toNanos();
    // Planned now that the transport is built (which takes a while with many keys), not when the
    // run began: first starts planned earlier would all lie in the past, and every slot of a key
    // would fire at once.
    long origin = settings.clock().nanoTime();
    int number = 1;
    for (int k = 0; k < settings.keys().size(); k++) {
      for (int j = 0; j < settings.slotsPerKey(); j++) {
        // Stagger a key's slots across one interval so its requests arrive evenly, not in bursts.
        Slot slot = new Slot(number++, k, origin + every * j / settings.slotsPerKey());
        slots.execute(() -> work(slot));
      }
    }
    slots.shutdown();
    try {
      while (!slots.awaitTermination(1, TimeUnit.DAYS)) {
        /* a run may last for days */
      }
    } catch (InterruptedException e) {
      interrupted = true;
      stop(slots);
    }
    if (interrupted) Thread.currentThread().interrupt();
    return Optional.ofNullable(fatal.get());
  }

  /**
   * Graceful stop: no new requests, in-flight ones get the grace period, then everything is
   * cancelled.
   */
  private void stop(ExecutorService slots) {
    stopping.run();
    scheduler.stop();
    try {
      if (!slots.awaitTermination(settings.gracePeriod().toNanos(), TimeUnit.NANOSECONDS))
        hardStop(slots);
    } catch (InterruptedException again) {
      hardStop(slots);
    }
  }

  private void hardStop(ExecutorService slots) {
    transport.cancelAll();
    slots.shutdownNow();
    try {
      slots.awaitTermination(30, TimeUnit.SECONDS);
    } catch (InterruptedException ignored) {
      // already stopping as fast as we can
    }
  }

  private void work(Slot slot) {
    ApiKey key = settings.keys().get(slot.keyIndex());
    LIVE_SLOTS.incrementAndGet();
    try {
      TaskState t = take(slot);
      while (t != null) {
        String model = models.get(slot.model()); // chosen by the scheduler with the task
        Outcome sent = transport.generate(key, model, t.task().prompt(), t.request());
        Scheduler.Effects fx =
            scheduler.report(
                slot, t, AnswerCheck.of(settings, sent), ledger.bill(key.index(), model, sent));
        if (fx.finished() != null && checkpoint != null)
          checkpoint.append(t.task(), t.hash(), fx.finished());
        fx.events().forEach(events);
        t = fx.next() != null ? fx.next() : take(slot);
      }
    } catch (InterruptedException e) {
      // hard stop: this slot's task (if any) is left unfinished and redone on resume
    } catch (Throwable e) {
      fatal.compareAndSet(null, e instanceof IOException io ? new UncheckedIOException(io) : e);
      scheduler.stop();
    } finally {
      LIVE_SLOTS.decrementAndGet();
    }
  }

  /** The slot's next task (null: the slot ends), after publishing what handing it out raised. */
  private TaskState take(Slot slot) throws InterruptedException {
    Scheduler.Handout h = scheduler.take(slot);
    h.events().forEach(events);
    return h.task();
  }
}
