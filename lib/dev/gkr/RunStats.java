package dev.gkr;

import dev.gkr.internal.cost.Prices;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * A snapshot of a run: counts, throughput and the state of every key. Taken at any time, from any
 * thread, with {@link Rotator#stats()}; {@link #print()} and {@link #keyTable()} are for people and
 * notebooks. Immutable. A class rather than a record, so that it can gain a figure without breaking
 * its callers.
 */
public final class RunStats {
  private final int total;
  private final int restored;
  private final int succeeded;
  private final int failed;
  private final int queued;
  private final int active;
  private final int slots;
  private final long requests;
  private final long rateLimited;
  private final Duration elapsed;
  private final double requestsPerSecond;
  private final Optional<Duration> eta;
  private final RunState state;
  private final List<KeyStats> keys;
  private final double pacedRequestsPerMinute;
  private final Slowdown slowdown;
  private final int truncated;
  private final double costUsd;
  private final JobStats jobs;
  private final boolean batchPart;
  private final boolean syncPart;

  private RunStats(Builder b) {
    this.total = b.total;
    this.restored = b.restored;
    this.succeeded = b.succeeded;
    this.failed = b.failed;
    this.queued = b.queued;
    this.active = b.active;
    this.slots = b.slots;
    this.requests = b.requests;
    this.rateLimited = b.rateLimited;
    this.elapsed = b.elapsed;
    this.requestsPerSecond = b.requestsPerSecond;
    this.eta = b.eta;
    this.state = b.state;
    this.keys = List.copyOf(b.keys);
    this.pacedRequestsPerMinute = b.pacedRequestsPerMinute;
    this.slowdown = b.slowdown;
    this.truncated = b.truncated;
    this.costUsd = b.costUsd;
    this.jobs = b.jobs;
    this.batchPart = b.batchPart;
    this.syncPart = b.syncPart;
  }

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

  /**
   * Requests started in this run; in Batch Mode the requests in this run's jobs (created or
   * re-attached).
   */
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

  /**
   * Synchronous requests started per second since the run began (a batch job's requests are not
   * paced, so they have no rate: 0 in Batch Mode).
   */
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

  /** The run's batch jobs (Batch Mode, issue 19); all zero when the run has none. */
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

  /**
   * What the batch's answers cost in USD, results restored from the checkpoint included (the sum of
   * the {@code cost_usd} column); NaN when the price table has no price for the model.
   */
  public double costUsd() {
    return costUsd;
  }

  /**
   * One key's counts; {@code state} is active, cooling, parked or retired; {@code failures} are the
   * answers that were neither a success nor a 429 (those are {@code rateLimited}); {@code
   * requestsPerMinute} is the key's share of its project's current paced rate (0 when no {@link
   * Limits} are declared); {@code costUsd} what its answers in this run cost (NaN when the price is
   * unknown).
   */
  public record KeyStats(
      String key,
      String project,
      KeyStatus state,
      long requests,
      long successes,
      long rateLimited,
      long failures,
      double requestsPerMinute,
      double costUsd) {

    public KeyStats withCostUsd(double usd) {
      return new KeyStats(
          key, project, state, requests, successes, rateLimited, failures, requestsPerMinute, usd);
    }
  }

  /**
   * The run-wide throttle: {@code throttled} while a storm holds the whole run back; {@code cause}
   * such as {@code 503 storm} or {@code 429 storm}; {@code since} when the last storm began; {@code
   * waiting} until the next probe; {@code episodes} storms so far and {@code throttledFor} their
   * total length.
   */
  public record Slowdown(
      boolean throttled,
      String cause,
      Optional<Instant> since,
      Duration waiting,
      int episodes,
      Duration throttledFor) {
    static final Slowdown NONE =
        new Slowdown(false, "", Optional.empty(), Duration.ZERO, 0, Duration.ZERO);
    private static final DateTimeFormatter CLOCK =
        DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT).withZone(ZoneId.systemDefault());

    /** {@code throttled: 503 storm since 12:03, waiting 40s} while throttled, else empty. */
    public String statusText() {
      if (!throttled) return "";
      return "throttled: "
          + cause
          + since.map(t -> " since " + CLOCK.format(t)).orElse("")
          + (waiting.isZero() ? ", probing" : ", waiting " + Durations.format(waiting));
    }

    /**
     * For the summary: {@code slowed down: throttled 2 times for 3m10s in all (last: 503 storm at
     * 12:03)}, or empty.
     */
    public String summaryText() {
      if (episodes == 0) return "";
      return "slowed down: throttled "
          + episodes
          + (episodes == 1 ? " time" : " times")
          + " for "
          + Durations.format(throttledFor)
          + " in all (last: "
          + cause
          + since.map(t -> " at " + CLOCK.format(t)).orElse("")
          + ")";
    }
  }

  public static RunStats empty() {
    return builder().build();
  }

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
   * retired}; with a synchronous part too ({@code --mode auto}) its line, then the jobs' figures.
   */
  public String statusLine() {
    if (batchPart && !syncPart)
      return jobs.statusText()
          + String.format(
              Locale.ROOT,
              " | queued %d | done %d | failed %d | keys %d ok %d retired",
              queued,
              done(),
              failed,
              keys.size() - keysIn(KeyStatus.RETIRED),
              keysIn(KeyStatus.RETIRED))
          + (costUsd > 0 ? " | " + Prices.format(costUsd) : "");
    return syncLine() + (batchPart ? " | " + jobs.statusText() : "");
  }

  private String syncLine() {
    return String.format(
            Locale.ROOT,
            "active %d/%d | queued %d | done %d | failed %d | keys %d ok %d cooling %d parked %d retired | %.1f req/s | ETA %s",
            active,
            slots,
            queued,
            done(),
            failed,
            keysIn(KeyStatus.ACTIVE),
            keysIn(KeyStatus.COOLING),
            keysIn(KeyStatus.PARKED),
            keysIn(KeyStatus.RETIRED),
            requestsPerSecond,
            eta.map(Durations::format).orElse("-"))
        + (costUsd > 0 ? " | " + Prices.format(costUsd) : "")
        + (pacedRequestsPerMinute > 0
            ? String.format(Locale.ROOT, " | paced %.1f rpm", pacedRequestsPerMinute)
            : "")
        + (slowdown.throttled() ? " | " + slowdown.statusText() : "");
  }

  /**
   * Per key: project, state, requests, successes, 429s, other failures, and current paced rate
   * (rpm).
   */
  public Table keyTable() {
    Table t =
        Table.create(
            "keys",
            StringColumn.create("key"),
            StringColumn.create("project"),
            StringColumn.create("state"),
            LongColumn.create("requests"),
            LongColumn.create("successes"),
            LongColumn.create("rate_limited"),
            LongColumn.create("failures"),
            tech.tablesaw.api.DoubleColumn.create("rpm"),
            tech.tablesaw.api.DoubleColumn.create("cost_usd"));
    for (KeyStats k : keys) {
      t.stringColumn("key").append(k.key());
      t.stringColumn("project").append(k.project());
      t.doubleColumn("rpm").append(Math.round(k.requestsPerMinute() * 10) / 10.0);
      t.stringColumn("state").append(k.state().code());
      t.longColumn("requests").append(k.requests());
      t.longColumn("successes").append(k.successes());
      t.longColumn("rate_limited").append(k.rateLimited());
      t.longColumn("failures").append(k.failures());
      if (Double.isNaN(k.costUsd())) t.doubleColumn("cost_usd").appendMissing();
      else t.doubleColumn("cost_usd").append(Prices.round(k.costUsd()));
    }
    return t;
  }

  /** A summary for people, followed by the per-key table. */
  public String print() {
    String head =
        String.format(
            Locale.ROOT,
            syncPart
                ? "%s: %d tasks, %d succeeded%s, %d failed%s | %d requests (%d rate-limited) in %s | %.2f req/s over %d slots%n"
                : "%s: %d tasks, %d succeeded%s, %d failed%s | %d requests (%d rate-limited) in %s%n",
            state,
            total,
            succeeded,
            truncated > 0 ? " (" + truncated + " truncated at maxOutputTokens)" : "",
            failed,
            restored > 0 ? " (" + restored + " restored from checkpoint)" : "",
            requests,
            rateLimited,
            Durations.format(elapsed),
            requestsPerSecond,
            slots);
    if (batchPart) head = head.stripTrailing() + jobsText() + System.lineSeparator();
    String slowed = slowdown.summaryText();
    return head
        + costText()
        + System.lineSeparator()
        + (slowed.isEmpty() ? "" : slowed + System.lineSeparator())
        + keyTable().printAll();
  }

  /** {@code | 3 batch jobs} (and how many are still running at Google). */
  private String jobsText() {
    int open = jobs.pending() + jobs.running();
    return String.format(
        Locale.ROOT,
        " | %d batch job%s%s",
        jobs.jobs(),
        jobs.jobs() == 1 ? "" : "s",
        open > 0 ? " (" + open + " still at Google)" : "");
  }

  /**
   * {@code cost: $0.0123} (restored results included), or {@code cost: unknown} when the model has
   * no price.
   */
  public String costText() {
    return Double.isNaN(costUsd)
        ? "cost: unknown (no price for this model; see --prices)"
        : "cost: " + Prices.format(costUsd);
  }

  @Override
  public String toString() {
    return statusLine();
  }

  /** Builds a snapshot (the run's {@code stats()}); figures left unset are zero, none or empty. */
  public static final class Builder {
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
    private double costUsd;
    private JobStats jobs = JobStats.NONE;
    private boolean batchPart;
    private boolean syncPart = true;

    public Builder total(int total) {
      this.total = total;
      return this;
    }

    public Builder restored(int restored) {
      this.restored = restored;
      return this;
    }

    public Builder succeeded(int succeeded) {
      this.succeeded = succeeded;
      return this;
    }

    public Builder failed(int failed) {
      this.failed = failed;
      return this;
    }

    public Builder queued(int queued) {
      this.queued = queued;
      return this;
    }

    public Builder active(int active) {
      this.active = active;
      return this;
    }

    public Builder slots(int slots) {
      this.slots = slots;
      return this;
    }

    public Builder requests(long requests) {
      this.requests = requests;
      return this;
    }

    public Builder rateLimited(long rateLimited) {
      this.rateLimited = rateLimited;
      return this;
    }

    public Builder elapsed(Duration elapsed) {
      this.elapsed = elapsed;
      return this;
    }

    public Builder requestsPerSecond(double requestsPerSecond) {
      this.requestsPerSecond = requestsPerSecond;
      return this;
    }

    public Builder eta(Optional<Duration> eta) {
      this.eta = eta;
      return this;
    }

    public Builder state(RunState state) {
      this.state = state;
      return this;
    }

    public Builder keys(List<KeyStats> keys) {
      this.keys = keys;
      return this;
    }

    public Builder pacedRequestsPerMinute(double pacedRequestsPerMinute) {
      this.pacedRequestsPerMinute = pacedRequestsPerMinute;
      return this;
    }

    public Builder slowdown(Slowdown slowdown) {
      this.slowdown = slowdown;
      return this;
    }

    public Builder truncated(int truncated) {
      this.truncated = truncated;
      return this;
    }

    public Builder costUsd(double costUsd) {
      this.costUsd = costUsd;
      return this;
    }

    public Builder jobs(JobStats jobs) {
      this.jobs = jobs;
      return this;
    }

    public Builder batchPart(boolean batchPart) {
      this.batchPart = batchPart;
      return this;
    }

    public Builder syncPart(boolean syncPart) {
      this.syncPart = syncPart;
      return this;
    }

    public RunStats build() {
      return new RunStats(this);
    }
  }
}
