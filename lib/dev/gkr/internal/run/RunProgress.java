package dev.gkr.internal.run;

import dev.gkr.JobStats;
import dev.gkr.KeyStats;
import dev.gkr.RunState;
import dev.gkr.RunStats;
import dev.gkr.internal.batchmode.BatchLoop;
import dev.gkr.internal.config.Settings;
import dev.gkr.internal.cost.Ledger;
import dev.gkr.internal.engine.Scheduler;
import dev.gkr.internal.engine.SyncProgress;
import dev.gkr.internal.engine.Timeline;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where a run is, as {@link RunStats} shows it: its state, what was restored, and the figures of
 * its synchronous part and its Batch Mode part put together. Written by the run's thread as it
 * moves on; read by any thread ({@link #stats()}), every field volatile.
 */
final class RunProgress {
  private final Settings settings;
  private final Ledger ledger;
  private final long startNanos;
  private volatile RunState state = RunState.STARTING;
  private volatile int total;
  private volatile Restore restored;
  private volatile Scheduler scheduler;
  private volatile BatchLoop jobs;

  /** False when every pending task went into batch jobs. */
  private volatile boolean syncPart = true;

  private volatile long endNanos;

  /** Per project, the context cache decided, then what it saved (see Transport#cacheReport). */
  private volatile List<String> contextCache = List.of();

  RunProgress(Settings settings, Ledger ledger) {
    this.settings = settings;
    this.ledger = ledger;
    this.startNanos = settings.clock().nanoTime();
  }

  void starting(int tasks) {
    total = tasks;
  }

  void restored(Restore r) {
    restored = r;
  }

  /** The synchronous part is set up; {@code batchOnly} when it has no tasks. */
  void started(Scheduler s, boolean batchOnly) {
    scheduler = s;
    syncPart = !batchOnly;
    state = RunState.RUNNING;
  }

  void batchMode(BatchLoop b) {
    jobs = b;
  }

  void contextCache(List<String> perProject) {
    contextCache = List.copyOf(perProject);
  }

  void state(RunState s) {
    state = s;
  }

  void ended(RunState s) {
    endNanos = settings.clock().nanoTime();
    state = s;
  }

  List<Timeline.Entry> timeline() {
    Scheduler s = scheduler;
    return s == null ? List.of() : s.timeline();
  }

  RunStats stats() {
    Scheduler s = scheduler;
    if (s == null) return RunStats.builder().build();
    SyncProgress p = s.progress();
    long now = endNanos != 0 ? endNanos : settings.clock().nanoTime();
    Duration elapsed = Duration.ofNanos(Math.max(0, now - startNanos));
    double seconds = Math.max(1e-9, elapsed.toNanos() / 1e9);
    // Rate and ETA of the synchronous part only: a batch job's requests are not paced.
    int syncDone = p.succeeded() + p.failed();
    int syncLeft = p.queued() + p.inFlight();
    Optional<Duration> eta =
        syncDone == 0 || syncLeft == 0
            ? Optional.empty()
            : Optional.of(Duration.ofMillis((long) (syncLeft * seconds * 1000 / syncDone)));
    BatchLoop b = jobs;
    Restore r = restored;
    int succeeded = p.succeeded() + r.succeeded();
    int failed = p.failed() + r.failed();
    int queued = p.queued();
    long requests = p.requests();
    long rateLimited = p.rateLimited();
    int truncated = p.truncated() + r.truncated();
    JobStats jobStats = JobStats.NONE;
    java.util.Map<String, Integer> perModel = new java.util.TreeMap<>(p.succeededPerModel());
    r.succeededPerModel().forEach((m, n) -> perModel.merge(m, n, Integer::sum));
    if (b != null) {
      jobStats = b.progress();
      succeeded += b.succeeded();
      if (b.succeeded() > 0) perModel.merge(settings.model(), b.succeeded(), Integer::sum);
      failed += b.failed();
      if (state == RunState.RUNNING) queued += jobStats.queued();
      requests += b.requests();
      rateLimited += b.rateLimited();
      truncated += b.truncated();
    }
    List<KeyStats> keys = new ArrayList<>(p.keys().size());
    for (int i = 0; i < p.keys().size(); i++) { // the key book lists keys by index
      KeyStats k = p.keys().get(i);
      k = b == null ? k : b.addTo(k, i);
      keys.add(
          new KeyStats(
              k.key(),
              k.project(),
              k.state(),
              k.requests(),
              k.successes(),
              k.rateLimited(),
              k.failures(),
              k.requestsPerMinute(),
              ledger.keySpent(i),
              batchOnModel(p.keys().get(i), k)));
    }
    return RunStats.builder()
        .total(total)
        .restored(r.restored())
        .succeeded(succeeded)
        .failed(failed)
        .queued(queued)
        .active(p.inFlight())
        .slots(settings.slotCount())
        .requests(requests)
        .rateLimited(rateLimited)
        .elapsed(elapsed)
        .requestsPerSecond(p.requests() / seconds)
        .eta(eta)
        .state(state)
        .keys(keys)
        .pacedRequestsPerMinute(p.pacedRequestsPerMinute())
        .slowdown(p.slowdown())
        .truncated(truncated)
        .succeededPerModel(perModel)
        .costUsd(ledger.spent())
        .restoredCostUsd(ledger.restoredSpent())
        .contextCache(ledger.storageSpent(), contextCache)
        .jobs(jobStats)
        .batchPart(b != null)
        .syncPart(syncPart)
        .timeline(() -> Timeline.table(s.timeline(p.answered())))
        .build();
  }

  /**
   * The key's successes by model, its Batch Mode successes (jobs are tied to the run's model)
   * counted under the run's model.
   */
  private java.util.Map<String, Long> batchOnModel(KeyStats sync, KeyStats all) {
    long batch = all.successes() - sync.successes();
    if (batch == 0 || sync.successesPerModel().isEmpty()) return sync.successesPerModel();
    java.util.Map<String, Long> out = new java.util.TreeMap<>(sync.successesPerModel());
    out.merge(settings.model(), batch, Long::sum);
    return out;
  }
}
