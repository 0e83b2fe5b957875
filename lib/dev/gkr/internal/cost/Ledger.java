package dev.gkr.internal.cost;

import dev.gkr.Outcome;
import dev.gkr.internal.common.Numbers;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * One run's money: what every answer cost (from {@link Prices}), the total with the results
 * restored from the checkpoint, each key's share, and the reservations of requests in flight that
 * {@code maxCost} is checked against. A request is started only if what is spent, plus every
 * request in flight at its worst case, plus this one at its worst case stays within the cap; the
 * worst case of a request is its estimated input at the input rate plus {@code maxOutputTokens} (or
 * {@link #DEFAULT_OUTPUT_RESERVE}) at the output rate, as thinking counts against it. Thread-safe:
 * answers are billed by the slots, reservations are made under the Scheduler's lock.
 */
public final class Ledger {
  /**
   * Output tokens reserved per request in flight when maxOutputTokens is not set (answer and
   * thinking together).
   */
  public static final int DEFAULT_OUTPUT_RESERVE = 8192;

  /** One answer's bill and the tier it was billed at ({@code service_tier}). */
  public record Bill(double usd, PriceTier tier) {}

  /**
   * The bill of an answer Google charges for: every answered request, even one gkr then refuses
   * (truncated, blocked, bad JSON); empty for a request that got no answer. At the tier the answer
   * reports.
   */
  public java.util.Optional<Bill> bill(int keyIndex, Outcome o) {
    return billable(o).map(s -> bill(keyIndex, s));
  }

  /** As {@link #bill(int, Outcome)} for an answer of {@code asked}, priced as that model. */
  public java.util.Optional<Bill> bill(int keyIndex, String asked, Outcome o) {
    return billable(o).map(s -> bill(keyIndex, asked, s, tierOf(s)));
  }

  /**
   * As {@link #bill(int, Outcome)}, at a given tier: {@link PriceTier#BATCH} for a job's results.
   */
  public java.util.Optional<Bill> bill(int keyIndex, Outcome o, PriceTier tier) {
    return billable(o).map(s -> bill(keyIndex, s, tier));
  }

  private static java.util.Optional<Outcome.Success> billable(Outcome o) {
    return o instanceof Outcome.Success s
        ? java.util.Optional.of(s)
        : ((Outcome.Failure) o).billed();
  }

  private final Prices prices;
  private final String model;
  private final java.util.List<String> models; // model first, then the fallbacks
  private final PriceTier requested;
  private final double cap;
  private final long outputReserve;
  private final ReentrantLock lock = new ReentrantLock();
  private final double[] perKey;
  private double spent;

  /** The part of {@link #spent} that results restored from the checkpoint cost in earlier runs. */
  private double restoredSpent;

  private double reserved;

  /** Caches' storage billed, and reserved for a live one's TTL: capped, not in spent. */
  private double storage, storageReserved;

  /**
   * Reservations not yet released: whether room may come back is decided by this count, never by
   * {@code reserved} reaching 0 (a sum of doubles added and taken away in another order can keep a
   * residue of 1e-17, and a slot would wait for room forever).
   */
  private int holders;

  private volatile Runnable onRelease = () -> {};
  private volatile Consumer<String> notices = m -> {};
  private final java.util.concurrent.atomic.AtomicBoolean unknownSaid =
      new java.util.concurrent.atomic.AtomicBoolean();

  /**
   * @param models the run's model, then its fallbacks: a request is reserved at the dearest
   * @param requested the tier asked for on synchronous requests
   * @param cap maxCost, or {@link Double#POSITIVE_INFINITY}
   * @param maxOutputTokens the run's maxOutputTokens, or 0 when not set
   * @param keys how many keys the run has
   */
  public Ledger(
      Prices prices,
      java.util.List<String> models,
      PriceTier requested,
      double cap,
      int maxOutputTokens,
      int keys) {
    this.prices = prices;
    this.models = java.util.List.copyOf(models);
    this.model = this.models.get(0);
    this.requested = requested;
    this.cap = cap;
    this.outputReserve = maxOutputTokens > 0 ? maxOutputTokens : DEFAULT_OUTPUT_RESERVE;
    this.perKey = new double[keys];
  }

  /**
   * Before anything is sent: a cap without a price is an error. Where notices go: a missing price
   * is said once, with the first answer it leaves unpriced (a run that gets no answer has nothing
   * to price).
   */
  public void check(Consumer<String> notices) {
    this.notices = notices;
    if (cap == Double.POSITIVE_INFINITY) return;
    for (String m : models) needPrice(m); // an answer of each is priced as that model
  }

  private void needPrice(String m) {
    if (!prices.knows(m, requested))
      throw new IllegalArgumentException(
          "maxCost needs a price: no "
              + requested.code()
              + " price for model "
              + m
              + " in "
              + prices.source()
              + "; add the model with prices(...)");
  }

  /** The tier an answer is billed at: the one it reports, else the one requested. */
  PriceTier tierOf(Outcome.Success s) {
    return PriceTier.ofTrafficType(s.trafficType()).orElse(requested);
  }

  /**
   * Bills one answer (a 200, even one gkr then rejects as truncated or bad JSON: Google bills it).
   */
  Bill bill(int keyIndex, Outcome.Success s) {
    return bill(keyIndex, s, tierOf(s));
  }

  /**
   * Bills one answer at a given tier: {@link PriceTier#BATCH} for a result collected from a batch
   * job.
   */
  Bill bill(int keyIndex, Outcome.Success s, PriceTier tier) {
    return bill(keyIndex, model, s, tier);
  }

  private Bill bill(int keyIndex, String model, Outcome.Success s, PriceTier tier) {
    double usd = prices.cost(model, Prices.Usage.of(s), tier);
    lock.lock();
    try {
      spent += usd;
      perKey[keyIndex] += usd;
    } finally {
      lock.unlock();
    }
    if (Double.isNaN(usd) && unknownSaid.compareAndSet(false, true)) {
      notices.accept(
          "no "
              + tier.code()
              + " price for model "
              + model
              + " in "
              + prices.source()
              + ": cost_usd stays empty (unknown, not zero); add the model with prices(...) to count it");
    }
    return new Bill(usd, tier);
  }

  /**
   * What an answer restored from the checkpoint cost, when its line holds no cost (written before
   * gkr recorded costs, or when the price was unknown): priced from its tokens now, at the tier it
   * was billed at ({@code tierCode}), else the one requested. Not counted: see {@link #restored}.
   */
  public Bill priceRestored(Prices.Usage usage, String tierCode) {
    PriceTier tier =
        java.util.Arrays.stream(PriceTier.values())
            .filter(t -> t.code().equals(tierCode))
            .findFirst()
            .orElse(requested);
    return new Bill(prices.cost(model, usage, tier), tier);
  }

  /**
   * A result restored from the checkpoint counts in the total and against the cap: a rerun
   * continues the same budget.
   */
  public void restored(double usd) {
    lock.lock();
    try {
      spent += usd;
      restoredSpent += usd;
    } finally {
      lock.unlock();
    }
  }

  /**
   * What the results restored from the checkpoint cost in earlier runs: part of {@link #spent()}.
   */
  public double restoredSpent() {
    lock.lock();
    try {
      return restoredSpent;
    } finally {
      lock.unlock();
    }
  }

  /** USD spent so far, restored results included; NaN when an answer's price is unknown. */
  public double spent() {
    lock.lock();
    try {
      return spent;
    } finally {
      lock.unlock();
    }
  }

  public double keySpent(int keyIndex) {
    lock.lock();
    try {
      return perKey[keyIndex];
    } finally {
      lock.unlock();
    }
  }

  public boolean capped() {
    return cap != Double.POSITIVE_INFINITY;
  }

  public double cap() {
    return cap;
  }

  /**
   * The most a request can cost: its estimated input, and its {@code maxOutputTokens} (the task's
   * own; 0: the run's, else {@link #DEFAULT_OUTPUT_RESERVE}) of output, at the dearest model of the
   * chain (a request may go to a fallback model).
   */
  public double worstCase(long inputTokens, int maxOutputTokens, PriceTier tier) {
    Prices.Usage usage =
        new Prices.Usage(inputTokens, 0, maxOutputTokens > 0 ? maxOutputTokens : outputReserve, 0);
    double worst = 0;
    for (String m : models) worst = Math.max(worst, prices.cost(m, usage, tier));
    return worst;
  }

  /** {@link #tryReserve}: no room now, but reservations are held that free room when billed. */
  public static final double NO_ROOM_YET = -1;

  /** {@link #tryReserve}: no room, and nothing is reserved that could free any. */
  static final double NO_ROOM = -2;

  /**
   * Reserves a request's worst case if it fits under the cap with everything spent and in flight;
   * returns the amount reserved (release it when the answer is billed), else {@link #NO_ROOM_YET}
   * or {@link #NO_ROOM}, decided under the same lock. Unknown costs never fit.
   */
  public double tryReserve(long inputTokens, int maxOutputTokens) {
    return tryReserve(inputTokens, maxOutputTokens, requested);
  }

  /** As {@link #tryReserve(long, int)}, at a given tier: {@link PriceTier#BATCH} for jobs. */
  public double tryReserve(long inputTokens, int maxOutputTokens, PriceTier tier) {
    if (!capped()) return 0;
    double worst = worstCase(inputTokens, maxOutputTokens, tier);
    lock.lock();
    try {
      double total = spent + storage + storageReserved + reserved + worst;
      if (Double.isNaN(total) || total > cap) return holders > 0 ? NO_ROOM_YET : NO_ROOM;
      hold(worst);
      return worst;
    } finally {
      lock.unlock();
    }
  }

  /** Under the lock. Only a positive worst case is held (and released: see {@link #release}). */
  private void hold(double worst) {
    if (worst <= 0) return;
    reserved += worst;
    holders++;
  }

  /**
   * What to tell the user when nothing more fits under the cap; {@code next} is the worst case of
   * the request that did not fit. Names no option or method: the command line and Java each add
   * theirs.
   */
  public String capReached(double next) {
    double spent = spent();
    if (spent == 0)
      return String.format(
          java.util.Locale.ROOT,
          "nothing was sent: a request reserves its worst case until it is billed (its input plus"
              + " maxOutputTokens of output, %,d when not set), up to %s here, more than the max"
              + " cost of %s; a cap of at least %s starts the run",
          outputReserve,
          Numbers.usd(next),
          Numbers.usd(cap),
          Numbers.usd(next));
    return String.format(
        java.util.Locale.ROOT,
        "max cost %s reached: %s spent, and the next request could cost up to %s (its input plus"
            + " %,d output tokens), more than the rest; the run stops taking tasks",
        Numbers.usd(cap),
        Numbers.usd(spent),
        Numbers.usd(next),
        outputReserve);
  }

  /** The worst case of a request at the requested tier (see {@link #worstCase}). */
  public double worstCase(long inputTokens, int maxOutputTokens) {
    return worstCase(inputTokens, maxOutputTokens, requested);
  }

  /**
   * Reserves a worst case that is already committed (a job of an earlier run, re-attached): it
   * counts against the cap whether it fits or not.
   */
  public double reserveCommitted(long inputTokens, int maxOutputTokens, PriceTier tier) {
    if (!capped()) return 0;
    double worst = worstCase(inputTokens, maxOutputTokens, tier);
    if (Double.isNaN(worst)) return 0;
    lock.lock();
    try {
      hold(worst);
      return worst;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Called after every release (outside the ledger's lock): the synchronous part waiting for room
   * that the Batch Mode part held, or the other way round.
   */
  public void onRelease(Runnable listener) {
    this.onRelease = listener;
  }

  /**
   * Reserves a context cache's planned storage before it is created; false when it does not fit
   * under the cap with everything spent and in flight (the project then runs inline).
   */
  public boolean tryReserveStorage(double usd) {
    if (!capped()) return true;
    lock.lock();
    try {
      double total = spent + storage + storageReserved + reserved + usd;
      if (Double.isNaN(total) || total > cap) return false;
      storageReserved += usd;
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** A cache's storage, billed, and the reservation {@link #tryReserveStorage} made for it. */
  public void storage(double usd, double reservedUsd) {
    lock.lock();
    try {
      storage += usd;
      if (capped()) storageReserved = Math.max(0, storageReserved - reservedUsd);
    } finally {
      lock.unlock();
    }
    onRelease.run();
  }

  /** USD billed for context caches' storage so far (guarded by the lock, so read under it). */
  public double storageSpent() {
    lock.lock();
    try {
      return storage;
    } finally {
      lock.unlock();
    }
  }

  /** Frees a reservation; bill the answer first, so no one sees room that is already spent. */
  public void release(double usd) {
    if (usd <= 0) return;
    lock.lock();
    try {
      holders--;
      reserved = holders <= 0 ? 0 : Math.max(0, reserved - usd);
    } finally {
      lock.unlock();
    }
    onRelease.run();
  }
}
