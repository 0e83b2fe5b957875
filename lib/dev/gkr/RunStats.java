package dev.gkr;

import dev.gkr.internal.engine.Timeline;
import dev.gkr.internal.report.StatsReport;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import tech.tablesaw.api.Table;

/**
 * A snapshot of a run: counts, throughput and the state of every key. Taken at any time, from any
 * thread, with {@link Rotator#stats()}; {@link #print()} and {@link #keyTable()} are for people and
 * notebooks. Immutable. A class rather than a record, so that it can gain a figure without breaking
 * its callers.
 */
public final class RunStats {
  // Set once by the builder, never changed after it hands the snapshot out.
  private int total;
  private int restored;
  private int succeeded;
  private int failed;
  private int queued;
  private int active;
  private int slots;
  private long requests;
  private long rateLimited;
  private Duration elapsed = Duration.ZERO;
  private double requestsPerSecond;
  private Optional<Duration> eta = Optional.empty();
  private RunState state = RunState.NOT_STARTED;
  private List<KeyStats> keys = List.of();
  private double pacedRequestsPerMinute;
  private Slowdown slowdown = Slowdown.NONE;
  private int truncated;
  private Map<String, Integer> succeededPerModel = Map.of();
  private double costUsd;
  private double restoredCostUsd, cacheStorageCostUsd;
  private List<String> contextCache = List.of();
  private JobStats jobs = JobStats.NONE;
  private boolean batchPart;
  private boolean syncPart = true;
  private String taskWord = "task";
  private Supplier<Table> timeline = () -> Timeline.table(List.of());

  private RunStats() {}

  /** Tasks in the batch, including those restored from a checkpoint. */
  public int total() {
    return total;
  }

  /** Tasks whose result came from the checkpoint, not from this run. */
  public int restored() {
    return restored;
  }

  public int succeeded() {
    return succeeded;
  }

  public int failed() {
    return failed;
  }

  /**
   * Tasks waiting for a slot (including those waiting out a backoff), or in Batch Mode for a job;
   * the tasks inside running jobs are {@link JobStats#inJobs()}.
   */
  public int queued() {
    return queued;
  }

  /** Requests in flight. */
  public int active() {
    return active;
  }

  public int slots() {
    return slots;
  }

  /** Requests started in this run; in Batch Mode those in its jobs (created or re-attached). */
  public long requests() {
    return requests;
  }

  /** Answers that were a 429 of any kind (inside batch jobs too). */
  public long rateLimited() {
    return rateLimited;
  }

  public Duration elapsed() {
    return elapsed;
  }

  /** Synchronous requests started per second since the start (0 for batch jobs: not paced). */
  public double requestsPerSecond() {
    return requestsPerSecond;
  }

  /**
   * Time left for the synchronous tasks at the pace so far; empty before the first task finishes,
   * after the last, and for the tasks in batch jobs (their turnaround is Google's).
   */
  public Optional<Duration> eta() {
    return eta;
  }

  public RunState state() {
    return state;
  }

  /**
   * Every request up to this snapshot, by start: {@code slot}, {@code key}, {@code task_id}, {@code
   * start_s} (seconds since the run began), {@code latency_ms}, {@code outcome} ({@code ok} or an
   * error type). {@link Timelines} charts it. Built when asked for.
   */
  public Table timeline() {
    return timeline.get();
  }

  /** The run's batch jobs (Batch Mode); all zero when the run has none. */
  public JobStats jobs() {
    return jobs;
  }

  public List<KeyStats> keys() {
    return keys;
  }

  /** The projects' current paced rate in all (0 when no {@link Limits} are declared). */
  public double pacedRequestsPerMinute() {
    return pacedRequestsPerMinute;
  }

  /** Why the run slowed down, if it did: the run-wide throttle's state and history. */
  public Slowdown slowdown() {
    return slowdown;
  }

  /** Succeeded tasks whose answer was cut off by maxOutputTokens (finish_reason MAX_TOKENS). */
  public int truncated() {
    return truncated;
  }

  /** Tasks answered in this run, by the model asked (see {@link Rotator#fallbackModels}). */
  public Map<String, Integer> succeededPerModel() {
    return succeededPerModel;
  }

  /**
   * What the batch's answers cost in USD, results restored from the checkpoint included (the sum of
   * the {@code cost_usd} column); NaN when the price table has no price for the model.
   */
  public double costUsd() {
    return costUsd;
  }

  /**
   * The part of {@link #costUsd()} that the results restored from the checkpoint cost in earlier
   * runs; what this run spent is the difference.
   */
  public double restoredCostUsd() {
    return restoredCostUsd;
  }

  /** USD billed for the explicit context caches' storage; not part of {@link #costUsd()}. */
  public double cacheStorageCostUsd() {
    return cacheStorageCostUsd;
  }

  /** Per project, the context cache decided and, once the run ended, what it saved. */
  public List<String> contextCache() {
    return contextCache;
  }

  /** A builder of a snapshot; gkr's runs make theirs. */
  public static Builder builder() {
    return new Builder();
  }

  public int done() {
    return succeeded + failed;
  }

  /** How many keys are in this state now. */
  public long keysIn(KeyStatus s) {
    return keys.stream().filter(k -> k.state() == s).count();
  }

  /**
   * The monitor line: {@code active 8/48 | queued 42 | done 150 | failed 2 | keys 11 ok 1 cooling 0
   * retired | 3.9 req/s | ETA 4m}. In Batch Mode the jobs' figures instead of the pace: {@code jobs
   * 1 pending 2 running 3 collected | in jobs 500 | queued 0 | done 150 | failed 2 | keys 3 ok 0
   * retired}; with a synchronous part too ({@code Mode.AUTO}) its line, then the jobs' figures.
   */
  public String statusLine() {
    return StatsReport.statusLine(this);
  }

  /**
   * Per key: project, state, requests, successes, 429s, other failures, current paced rate (rpm)
   * and cost.
   */
  public Table keyTable() {
    return StatsReport.keyTable(this);
  }

  /** A summary for people, followed by the per-key table. */
  public String print() {
    return StatsReport.print(this);
  }

  /**
   * {@code cost: $0.012300}, or {@code cost: $0.000000 this run ($0.012300 with restored answers)}
   * on a rerun, or {@code cost: unknown} when the model has no price.
   */
  public String costText() {
    return StatsReport.cost(this);
  }

  /** Whether the run sends tasks one request each (false when every task went into batch jobs). */
  public boolean syncPart() {
    return syncPart;
  }

  /** What {@link #print()} calls a task: {@code task}, or {@code text} for an embedding run. */
  public String taskWord() {
    return taskWord;
  }

  /** Whether the run sends tasks in Gemini Batch Mode jobs. */
  public boolean batchPart() {
    return batchPart;
  }

  @Override
  public String toString() {
    return statusLine();
  }

  /**
   * Builds a snapshot (the run's {@code stats()}, or a test's); figures left unset are zero, none
   * or empty. Single use: {@link #build} hands the snapshot out.
   */
  public static final class Builder {
    private RunStats s = new RunStats();

    private Builder() {}

    public Builder total(int v) {
      s.total = v;
      return this;
    }

    public Builder restored(int v) {
      s.restored = v;
      return this;
    }

    public Builder succeeded(int v) {
      s.succeeded = v;
      return this;
    }

    public Builder failed(int v) {
      s.failed = v;
      return this;
    }

    public Builder queued(int v) {
      s.queued = v;
      return this;
    }

    public Builder active(int v) {
      s.active = v;
      return this;
    }

    public Builder slots(int v) {
      s.slots = v;
      return this;
    }

    public Builder requests(long v) {
      s.requests = v;
      return this;
    }

    public Builder rateLimited(long v) {
      s.rateLimited = v;
      return this;
    }

    public Builder elapsed(Duration v) {
      s.elapsed = v;
      return this;
    }

    public Builder requestsPerSecond(double v) {
      s.requestsPerSecond = v;
      return this;
    }

    public Builder eta(Optional<Duration> v) {
      s.eta = v;
      return this;
    }

    public Builder state(RunState v) {
      s.state = v;
      return this;
    }

    public Builder keys(List<KeyStats> v) {
      s.keys = List.copyOf(v);
      return this;
    }

    public Builder pacedRequestsPerMinute(double v) {
      s.pacedRequestsPerMinute = v;
      return this;
    }

    public Builder slowdown(Slowdown v) {
      s.slowdown = v;
      return this;
    }

    public Builder truncated(int v) {
      s.truncated = v;
      return this;
    }

    public Builder succeededPerModel(Map<String, Integer> v) {
      s.succeededPerModel = Map.copyOf(v);
      return this;
    }

    public Builder costUsd(double v) {
      s.costUsd = v;
      return this;
    }

    public Builder restoredCostUsd(double v) {
      s.restoredCostUsd = v;
      return this;
    }

    public Builder contextCache(double storageUsd, List<String> perProject) {
      s.cacheStorageCostUsd = storageUsd;
      s.contextCache = List.copyOf(perProject);
      return this;
    }

    public Builder jobs(JobStats v) {
      s.jobs = v;
      return this;
    }

    public Builder batchPart(boolean v) {
      s.batchPart = v;
      return this;
    }

    public Builder taskWord(String v) {
      s.taskWord = v;
      return this;
    }

    public Builder syncPart(boolean v) {
      s.syncPart = v;
      return this;
    }

    /** How the snapshot's timeline is built, when asked for. */
    public Builder timeline(Supplier<Table> v) {
      s.timeline = v;
      return this;
    }

    public RunStats build() {
      RunStats out = Objects.requireNonNull(s, "this builder has built its snapshot already");
      s = null;
      return out;
    }
  }
}
