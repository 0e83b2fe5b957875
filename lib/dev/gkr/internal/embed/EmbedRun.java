package dev.gkr.internal.embed;

import dev.gkr.Embedding;
import dev.gkr.ErrorType;
import dev.gkr.Mode;
import dev.gkr.Outcome;
import dev.gkr.RotatorEvent;
import dev.gkr.RunStats;
import dev.gkr.internal.call.Transport;
import dev.gkr.internal.common.Backoff;
import dev.gkr.internal.common.Listeners;
import dev.gkr.internal.common.Redactor;
import dev.gkr.internal.config.Settings;
import dev.gkr.internal.cost.PriceTier;
import dev.gkr.internal.keys.KeyBook;
import dev.gkr.internal.keys.KeyState;
import dev.gkr.internal.keys.ProjectState;
import dev.gkr.internal.store.Checkpoint;
import dev.gkr.internal.table.TaskResult;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import tech.tablesaw.api.Table;

/**
 * One embedding run: restores finished texts from the checkpoint, packs the rest (up to 100 texts
 * of one title a call, no more than a project's request window holds), and sends them from {@code
 * slots} virtual threads. Keys and projects are the generation's ({@link KeyBook}): a 429 cools the
 * key, a dead key is retired, a daily limit parks it; the pack goes again on another key. A text
 * Gemini names as too long fails alone ({@code input_too_long}) and the rest of its pack goes
 * again; a transient failure retries the pack after a jittered backoff. Every finished text is
 * checkpointed at once, so a killed run resumes with the missing texts only.
 */
public final class EmbedRun {
  static final int MAX_PACK = 100;
  private final Settings settings;
  private final Embedding how;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();

  // guarded by lock
  private final ArrayDeque<Pack> queue = new ArrayDeque<>();
  private final int[] attempts;
  private final EmbedTexts in;
  private final long[] tokens;
  private int inFlight;
  private ErrorType stop;
  private final Budget budget;
  private final EmbedStats stats = new EmbedStats();

  private final KeyChoice keys;
  private final KeyBook book;
  private final StormGate storms;

  public EmbedRun(Settings settings, Embedding how, List<?> tasks) { // strings, Tasks or maps
    this.settings = settings;
    this.how = how;
    this.in = new EmbedTexts(tasks, how);
    this.tokens = in.tokens();
    this.attempts = new int[in.size()];
    this.keys = new KeyChoice(settings, how.model());
    this.budget = new Budget(settings, how.model());
    this.book = keys.book();
    this.storms = new StormGate(settings, book);
  }

  /**
   * Embeds every text; one row per task in input order ({@link EmbedTable}). With Batch Mode the
   * batch part's jobs are submitted first, the synchronous part runs while they do, and the jobs
   * are collected last ({@link EmbedBatch}).
   */
  public Table run() {
    if (settings.serviceTier().isPresent())
      throw new IllegalArgumentException("serviceTier is for generation: embeddings go standard");
    settings.endpoint(System.getenv());
    budget.check(settings.batch().mode() != Mode.SYNC);
    Checkpoint checkpoint =
        settings
            .checkpoint()
            .map(p -> Checkpoint.open(p, this::notice, settings.clock()))
            .orElse(null);
    withLock(() -> stats.started(settings.clock().nanoTime()));
    try {
      Map<String, Checkpoint.Entry> done = checkpoint == null ? Map.of() : checkpoint.entries();
      List<Integer> todo = in.restore(done, settings.retryFailed(), budget);
      try (Transport transport = new Transport(settings, new Redactor(settings.keys()))) {
        EmbedBatch batch = EmbedBatch.start(settings, how, in, budget, transport, checkpoint, todo);
        withLock(() -> stats.batch(batch));
        long tokenCap =
            settings.limits().map(l -> (long) l.of(how.model()).tokensPerWindow()).orElse(0L);
        queue.addAll(Packs.of(todo, in::title, tokens, keys.maxPack(MAX_PACK), tokenCap));
        if (!queue.isEmpty()) work(checkpoint, transport);
        if (batch != null) batch.collect();
      }
      withLock(() -> finishRemaining(stop == null ? ErrorType.NO_USABLE_KEYS : stop));
      withLock(() -> stats.ended(settings.clock().nanoTime(), stop, in));
      return in.table();
    } finally {
      if (checkpoint != null) checkpoint.close();
    }
  }

  private void work(Checkpoint checkpoint, Transport transport) {
    EmbedCall call = new EmbedCall(transport, how);
    int slots = Math.max(1, settings.slotCount());
    List<Thread> threads = new ArrayList<>();
    for (int s = 0; s < slots; s++)
      threads.add(Thread.ofVirtual().name("gkr-embed-" + s).start(() -> loop(call, checkpoint)));
    boolean interrupted = false;
    for (Thread t : threads)
      while (t.isAlive())
        try {
          t.join();
        } catch (InterruptedException e) { // stop: the slots end, calls in flight are cut
          interrupted = true;
          withLock(() -> stop = ErrorType.CANCELLED);
          transport.cancelAll();
        }
    if (interrupted) Thread.currentThread().interrupt();
  }

  /** Counts, keys and cost of this run so far (texts, calls); any thread. */
  public RunStats stats() {
    lock.lock();
    try {
      long now = settings.clock().nanoTime();
      return stats.snapshot(in, book, settings.slotCount(), inFlight, now, storms.snapshot(now));
    } finally {
      lock.unlock();
    }
  }

  private void withLock(Runnable r) {
    lock.lock();
    try {
      r.run();
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** One slot: takes a pack and a key when both may go, sends, and settles the answer. */
  private void loop(EmbedCall call, Checkpoint checkpoint) {
    while (true) {
      Pack pack;
      KeyState key;
      long[] window;
      ProjectState.Reservation reservation;
      long start;
      long seq;
      lock.lock();
      try {
        Lease lease = await();
        if (lease == null) return;
        pack = lease.pack;
        key = lease.key;
        start = settings.clock().nanoTime();
        window = keys.window(key).start(pack.items().length, start);
        reservation = book.projectOf(key).reserve(pack.tokens(tokens));
        budget.reserve(pack.tokens(tokens));
        key.requestStarted();
        seq = storms.sent();
        inFlight++;
      } finally {
        lock.unlock();
      }
      List<String> packTexts = Arrays.stream(pack.items()).mapToObj(in::text).toList();
      EmbedCall.Result r =
          call.send(key.key(), packTexts, pack.title(), start, settings.clock().nanoTime());
      List<RotatorEvent> events = new ArrayList<>();
      lock.lock();
      try {
        long now = settings.clock().nanoTime();
        inFlight--;
        budget.release(pack.tokens(tokens));
        keys.window(key).ended(window, now);
        boolean refused = r instanceof EmbedCall.Failed f && f.failure().httpCode() == 429;
        book.projectOf(key).settle(reservation, refused ? 0 : pack.tokens(tokens), now);
        settle(pack, key, seq, r, now, checkpoint, events);
        changed.signalAll();
      } finally {
        lock.unlock();
      }
      Listeners.publish(settings.listeners(), events);
    }
  }

  private record Lease(Pack pack, KeyState key) {}

  /** Waits (holding the lock) until a pack and a key may go; null when the slot is done. */
  private Lease await() {
    while (true) {
      if (stop != null || Thread.currentThread().isInterrupted()) return null;
      if (queue.isEmpty()) {
        if (inFlight == 0) {
          changed.signalAll();
          return null;
        }
        if (!sleep(Long.MAX_VALUE)) return null;
        continue;
      }
      if (book.usable() == 0) {
        stop = ErrorType.NO_USABLE_KEYS;
        changed.signalAll();
        return null;
      }
      long now = settings.clock().nanoTime();
      if (storms.gate(now) != 0) { // a storm: one probe at a time, after a shared backoff
        if (!sleep(storms.gate(now))) return null;
        continue;
      }
      Pack pack = queue.peekFirst();
      if (!budget.fits(pack.tokens(tokens))) {
        if (inFlight > 0) { // their answers may free room (a pack that fails is not billed)
          if (!sleep(Long.MAX_VALUE)) return null;
          continue;
        }
        stop = ErrorType.CANCELLED;
        for (Pack p : queue)
          for (int i : p.items())
            in.left(i, TaskResult.overBudget(in.id(i), budget.cap(), null, attempts[i]));
        queue.clear();
        changed.signalAll();
        return null;
      }
      if (pack.notBefore() > now) {
        if (!sleep(pack.notBefore())) return null;
        continue;
      }
      KeyChoice.Choice c = keys.choose(pack.items().length, pack.tokens(tokens), now);
      if (c.key() != null) {
        queue.pollFirst();
        return new Lease(pack, c.key());
      }
      long wake = c.wake();
      if (wake == Long.MAX_VALUE && inFlight == 0) {
        stop = ErrorType.NO_USABLE_KEYS; // every key's day is spent
        changed.signalAll();
        return null;
      }
      if (!sleep(wake)) return null;
    }
  }

  private boolean sleep(long deadline) {
    try {
      settings.clock().awaitUntil(changed, deadline);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** What an answer means for the pack's texts and the key (holding the lock). */
  private void settle(
      Pack pack,
      KeyState key,
      long seq,
      EmbedCall.Result r,
      long now,
      Checkpoint cp,
      List<RotatorEvent> ev) {
    Instant wall = settings.clock().instant();
    if (r instanceof EmbedCall.Vectors v) {
      storms.heard(key, pack, seq, null, now, ev, wall);
      key.succeeded();
      book.projectOf(key).answeredCleanly();
      for (int j = 0; j < pack.items().length; j++) {
        int i = pack.items()[j];
        attempts[i]++;
        TaskResult result =
            EmbedTable.row(
                    in.id(i),
                    v.vectors().get(j),
                    how.model(),
                    tokens[i],
                    settings.prices(),
                    PriceTier.STANDARD)
                .attempt(attempts[i], key.key().display(), 0, v.latency().toMillis())
                .build();
        budget.spent(result.costUsd());
        done(i, result, cp, ev, wall);
      }
      return;
    }
    Outcome.Failure f = ((EmbedCall.Failed) r).failure();
    ev.add(pack.failed(wall, in, attempts[pack.items()[0]] + 1, key.key().display(), f));
    if (storms.heard(key, pack, seq, f, now, ev, wall)) { // no attempt used, no strike on the key
      if (f.type().kind() == ErrorType.Kind.KEY_COOLDOWN) key.rateLimited();
      if (storms.outlasted(now, ev, wall)) stop = ErrorType.OVERLOADED;
      queue.addFirst(pack);
      return;
    }
    switch (f.type().kind()) {
      case KEY_COOLDOWN -> {
        key.rateLimited();
        if (f.type() == ErrorType.TOKEN_LIMITED) book.projectOf(key).tokenQuotaHit();
        book.cool(key, f.retryDelay().orElse(Duration.ofSeconds(10)), ev, wall);
        Packs.halves(pack).reversed().forEach(queue::addFirst);
      }
      case KEY_PARKED -> {
        book.parkProject(book.projectOf(key), f.summary(), ev, wall);
        queue.addFirst(pack);
      }
      case KEY_DEAD -> {
        book.retire(key, f.type(), ev, wall);
        queue.addFirst(pack);
      }
      case SLOWDOWN -> {
        book.projectOf(key)
            .pause(
                now
                    + Backoff.jittered(book.projectOf(key).slowedDown(), Duration.ofMinutes(1))
                        .toNanos());
        queue.addFirst(pack);
      }
      case RUN -> {
        stop = f.type();
        for (int i : pack.items())
          in.left(i, TaskResult.unfinished(in.id(i), f.type(), f, attempts[i]));
      }
      case TASK -> taskFailure(pack, key, (EmbedCall.Failed) r, cp, ev, wall);
      case TRANSIENT -> {
        key.failed();
        List<Integer> again = new ArrayList<>();
        int limit =
            Math.max(1, settings.transientRetries() < 0 ? 5 : settings.transientRetries()) + 1;
        for (int i : pack.items()) {
          if (++attempts[i] >= limit) fail(i, f, key, cp, ev, wall);
          else again.add(i);
        }
        long wait = Backoff.jittered(attempts[pack.items()[0]], Duration.ofSeconds(30)).toNanos();
        if (!again.isEmpty())
          queue.addFirst(
              new Pack(again.stream().mapToInt(x -> x).toArray(), pack.title(), now + wait));
      }
    }
  }

  /** A 400: the text named too long fails alone; otherwise a pack is split to find the bad text. */
  private void taskFailure(
      Pack pack,
      KeyState key,
      EmbedCall.Failed r,
      Checkpoint cp,
      List<RotatorEvent> ev,
      Instant wall) {
    Outcome.Failure f = r.failure();
    int[] items = pack.items();
    if (r.tooLong().isPresent()) {
      int bad = items[r.tooLong().get()];
      attempts[bad]++;
      fail(bad, EmbedCall.asTooLong(f), key, cp, ev, wall);
      int[] rest = Arrays.stream(items).filter(i -> i != bad).toArray();
      if (rest.length > 0) queue.addFirst(new Pack(rest, pack.title(), 0));
      return;
    }
    if (items.length > 1) { // one text spoiled the call: each goes alone once
      for (int j = items.length - 1; j >= 0; j--)
        queue.addFirst(new Pack(new int[] {items[j]}, pack.title(), 0));
      return;
    }
    attempts[items[0]]++;
    if (attempts[items[0]] > settings.maxRetries()) fail(items[0], f, key, cp, ev, wall);
    else queue.addLast(pack);
  }

  /** The text failed for good: its row, and the error log's line naming it. */
  private void fail(
      int i, Outcome.Failure f, KeyState key, Checkpoint cp, List<RotatorEvent> ev, Instant wall) {
    String k = key.key().display();
    ev.add(new RotatorEvent.AttemptFailed(wall, in.id(i), attempts[i], k, 0, f, "text failed"));
    done(i, TaskResult.failure(in.id(i), f, null, attempts[i], key.key(), 0), cp, ev, wall);
  }

  private void done(int i, TaskResult r, Checkpoint cp, List<RotatorEvent> ev, Instant wall) {
    in.finished(i, r, cp);
    ev.add(r.doneEvent(wall));
  }

  private void finishRemaining(ErrorType why) {
    for (int i = 0; i < in.size(); i++)
      if (in.result(i) == null) in.left(i, TaskResult.unfinished(in.id(i), why, null, attempts[i]));
  }

  private void notice(String message) {
    Listeners.publish(
        settings.listeners(), new RotatorEvent.Notice(settings.clock().instant(), message));
  }
}
