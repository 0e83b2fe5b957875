package dev.gkr;

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
 * A snapshot of a run: counts, throughput and the state of every key. Taken at any time, from any thread,
 * with {@link Rotator#stats()}; {@link #print()} and {@link #keyTable()} are for people and notebooks.
 *
 * @param total tasks in the batch, including those restored from a checkpoint
 * @param restored tasks whose result came from the checkpoint, not from this run
 * @param requestsPerSecond requests started per second since the run began
 * @param state {@code running}, {@code completed}, {@code no_usable_keys}, {@code overloaded} (a storm outlasted
 *     {@code maxWait}), {@code model_not_found}, {@code budget_reached} (maxCost) or {@code stopped}
 * @param slowdown why the run slowed down, if it did: the run-wide throttle's state and history
 * @param truncated succeeded tasks whose answer was cut off by maxOutputTokens (finish_reason MAX_TOKENS)
 * @param costUsd what the batch's answers cost in USD, results restored from the checkpoint included (the sum of the
 *     {@code cost_usd} column); NaN when the price table has no price for the model. State {@code budget_reached}: the
 *     run stopped at {@code maxCost}
 */
public record RunStats(int total, int restored, int succeeded, int failed, int queued, int active, int slots,
    long requests, long rateLimited, Duration elapsed, double requestsPerSecond, Optional<Duration> eta,
    String state, List<KeyStats> keys, double pacedRequestsPerMinute, Slowdown slowdown, int truncated, double costUsd) {

  /**
   * One key's counts; {@code state} is active, cooling, parked or retired; {@code failures} are the answers
   * that were neither a success nor a 429 (those are {@code rateLimited}); {@code requestsPerMinute} is the
   * key's share of its project's current paced rate (0 when no {@link Limits} are declared); {@code costUsd} what its
   * answers in this run cost (NaN when the price is unknown).
   */
  public record KeyStats(String key, String project, String state, long requests, long successes, long rateLimited,
      long failures, double requestsPerMinute, double costUsd) {

    KeyStats withCostUsd(double usd) {
      return new KeyStats(key, project, state, requests, successes, rateLimited, failures, requestsPerMinute, usd);
    }
  }

  /**
   * The run-wide throttle: {@code throttled} while a storm holds the whole run back; {@code cause} such as
   * {@code 503 storm} or {@code 429 storm}; {@code since} when the last storm began; {@code waiting} until the next probe;
   * {@code episodes} storms so far and {@code throttledFor} their total length.
   */
  public record Slowdown(boolean throttled, String cause, Optional<Instant> since, Duration waiting, int episodes,
      Duration throttledFor) {
    static final Slowdown NONE = new Slowdown(false, "", Optional.empty(), Duration.ZERO, 0, Duration.ZERO);
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT).withZone(ZoneId.systemDefault());

    /** {@code throttled: 503 storm since 12:03, waiting 40s} while throttled, else empty. */
    public String statusText() {
      if (!throttled) return "";
      return "throttled: " + cause + since.map(t -> " since " + CLOCK.format(t)).orElse("")
          + (waiting.isZero() ? ", probing" : ", waiting " + Durations.format(waiting));
    }

    /** For the summary: {@code slowed down: throttled 2 times for 3m10s in all (last: 503 storm at 12:03)}, or empty. */
    public String summaryText() {
      if (episodes == 0) return "";
      return "slowed down: throttled " + episodes + (episodes == 1 ? " time" : " times") + " for " + Durations.format(throttledFor)
          + " in all (last: " + cause + since.map(t -> " at " + CLOCK.format(t)).orElse("") + ")";
    }
  }

  public RunStats {
    keys = List.copyOf(keys);
  }

  static RunStats empty() {
    return new RunStats(0, 0, 0, 0, 0, 0, 0, 0, 0, Duration.ZERO, 0, Optional.empty(), "not started", List.of(), 0, Slowdown.NONE, 0, 0);
  }

  public int done() {
    return succeeded + failed;
  }

  public long keysInState(String s) {
    return keys.stream().filter(k -> k.state().equals(s)).count();
  }

  /** The monitor line: {@code active 8/48 | queued 42 | done 150 | failed 2 | keys 11 ok 1 cooling 0 retired | 3.9 req/s | ETA 4m}. */
  public String statusLine() {
    return String.format(Locale.ROOT, "active %d/%d | queued %d | done %d | failed %d | keys %d ok %d cooling %d parked %d retired | %.1f req/s | ETA %s",
        active, slots, queued, done(), failed, keysInState("active"), keysInState("cooling"), keysInState("parked"),
        keysInState("retired"), requestsPerSecond, eta.map(Durations::format).orElse("-"))
        + (costUsd > 0 ? " | " + Prices.format(costUsd) : "")
        + (pacedRequestsPerMinute > 0 ? String.format(Locale.ROOT, " | paced %.1f rpm", pacedRequestsPerMinute) : "")
        + (slowdown.throttled() ? " | " + slowdown.statusText() : "");
  }

  /** Per key: project, state, requests, successes, 429s, other failures, and current paced rate (rpm). */
  public Table keyTable() {
    Table t = Table.create("keys",
        StringColumn.create("key"), StringColumn.create("project"), StringColumn.create("state"), LongColumn.create("requests"),
        LongColumn.create("successes"), LongColumn.create("rate_limited"), LongColumn.create("failures"),
        tech.tablesaw.api.DoubleColumn.create("rpm"), tech.tablesaw.api.DoubleColumn.create("cost_usd"));
    for (KeyStats k : keys) {
      t.stringColumn("key").append(k.key());
      t.stringColumn("project").append(k.project());
      t.doubleColumn("rpm").append(Math.round(k.requestsPerMinute() * 10) / 10.0);
      t.stringColumn("state").append(k.state());
      t.longColumn("requests").append(k.requests());
      t.longColumn("successes").append(k.successes());
      t.longColumn("rate_limited").append(k.rateLimited());
      t.longColumn("failures").append(k.failures());
      if (Double.isNaN(k.costUsd())) t.doubleColumn("cost_usd").appendMissing(); else t.doubleColumn("cost_usd").append(Prices.round(k.costUsd()));
    }
    return t;
  }

  /** A summary for people, followed by the per-key table. */
  public String print() {
    String head = String.format(Locale.ROOT,
        "%s: %d tasks, %d succeeded%s, %d failed%s | %d requests (%d rate-limited) in %s | %.2f req/s over %d slots%n",
        state, total, succeeded, truncated > 0 ? " (" + truncated + " truncated at maxOutputTokens)" : "", failed,
        restored > 0 ? " (" + restored + " restored from checkpoint)" : "",
        requests, rateLimited, Durations.format(elapsed), requestsPerSecond, slots);
    String slowed = slowdown.summaryText();
    return head + costText() + System.lineSeparator() + (slowed.isEmpty() ? "" : slowed + System.lineSeparator()) + keyTable().printAll();
  }

  /** {@code cost: $0.0123} (restored results included), or {@code cost: unknown} when the model has no price. */
  public String costText() {
    return Double.isNaN(costUsd) ? "cost: unknown (no price for this model; see --prices)" : "cost: " + Prices.format(costUsd);
  }

  @Override
  public String toString() {
    return statusLine();
  }
}
