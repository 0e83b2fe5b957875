package dev.gkr.internal.report;

import dev.gkr.JobStats;
import dev.gkr.KeyStats;
import dev.gkr.KeyStatus;
import dev.gkr.RunStats;
import dev.gkr.Slowdown;
import dev.gkr.internal.common.Durations;
import dev.gkr.internal.common.Numbers;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * How a {@link RunStats} snapshot reads for people: the status line, the summary, the per-key
 * table, and the texts of the throttle and the batch jobs. Kept apart from the snapshot's data.
 */
public final class StatsReport {
  private static final DateTimeFormatter CLOCK =
      DateTimeFormatter.ofPattern("HH:mm", Locale.ROOT).withZone(ZoneId.systemDefault());

  private StatsReport() {}

  /** See {@link RunStats#statusLine()}. */
  public static String statusLine(RunStats s) {
    if (s.batchPart() && !s.syncPart())
      return jobs(s.jobs())
          + String.format(
              Locale.ROOT,
              " | queued %d | done %d | failed %d | keys %d ok %d retired",
              s.queued(),
              s.done(),
              s.failed(),
              s.keys().size() - s.keysIn(KeyStatus.RETIRED),
              s.keysIn(KeyStatus.RETIRED))
          + (s.costUsd() > 0 ? " | " + Numbers.usd(s.costUsd()) : "");
    return syncLine(s) + (s.batchPart() ? " | " + jobs(s.jobs()) : "");
  }

  private static String syncLine(RunStats s) {
    return String.format(
            Locale.ROOT,
            "active %d/%d | queued %d | done %d | failed %d | keys %d ok %d cooling %d parked %d"
                + " retired | %.1f req/s | ETA %s",
            s.active(),
            s.slots(),
            s.queued(),
            s.done(),
            s.failed(),
            s.keysIn(KeyStatus.ACTIVE),
            s.keysIn(KeyStatus.COOLING),
            s.keysIn(KeyStatus.PARKED),
            s.keysIn(KeyStatus.RETIRED),
            s.requestsPerSecond(),
            s.eta().map(Durations::format).orElse("-"))
        + (s.costUsd() > 0 ? " | " + Numbers.usd(s.costUsd()) : "")
        + (s.pacedRequestsPerMinute() > 0
            ? String.format(Locale.ROOT, " | paced %.1f rpm", s.pacedRequestsPerMinute())
            : "")
        + (s.slowdown().throttled() ? " | " + throttled(s.slowdown()) : "");
  }

  /** See {@link RunStats#keyTable()}. */
  public static Table keyTable(RunStats s) {
    StringColumn key = StringColumn.create("key");
    StringColumn project = StringColumn.create("project");
    StringColumn state = StringColumn.create("state");
    LongColumn requests = LongColumn.create("requests");
    LongColumn successes = LongColumn.create("successes");
    LongColumn rateLimited = LongColumn.create("rate_limited");
    LongColumn failures = LongColumn.create("failures");
    DoubleColumn rpm = DoubleColumn.create("rpm");
    DoubleColumn cost = DoubleColumn.create("cost_usd");
    for (KeyStats k : s.keys()) {
      key.append(k.key());
      project.append(k.project());
      state.append(k.state().code());
      requests.append(k.requests());
      successes.append(k.successes());
      rateLimited.append(k.rateLimited());
      failures.append(k.failures());
      rpm.append(Math.round(k.requestsPerMinute() * 10) / 10.0);
      if (Double.isNaN(k.costUsd())) cost.appendMissing();
      else cost.append(Numbers.roundUsd(k.costUsd()));
    }
    cost.setPrintFormatter(Numbers.usdColumn(), "");
    Table t =
        Table.create(
            "keys", key, project, state, requests, successes, rateLimited, failures, rpm, cost);
    if (s.keys().stream().anyMatch(k -> !k.successesPerModel().isEmpty())) {
      // With fallback models: which model answered each key's successes.
      StringColumn byModel = StringColumn.create("successes_by_model");
      for (KeyStats k : s.keys()) byModel.append(byModel(k.successesPerModel()));
      t.insertColumn(5, byModel);
    }
    return t;
  }

  /** {@code gemini-2.5-flash 30 / gemini-2.5-pro 120}; {@code -} for none. */
  private static String byModel(java.util.Map<String, Long> counts) {
    if (counts.isEmpty()) return "-";
    StringBuilder b = new StringBuilder();
    counts.forEach((m, n) -> b.append(b.isEmpty() ? "" : " / ").append(m).append(' ').append(n));
    return b.toString();
  }

  /** See {@link RunStats#print()}. */
  public static String print(RunStats s) {
    String head =
        allRestored(s)
            ? String.format(
                Locale.ROOT,
                "%s: %s, %d restored from checkpoint (%d succeeded, %d failed), 0 sent%n",
                s.state(),
                Numbers.count(s.total(), s.taskWord()),
                s.restored(),
                s.succeeded(),
                s.failed())
            : String.format(
                Locale.ROOT,
                s.syncPart()
                    ? "%s: %s, %d succeeded%s, %d failed%s | %s (%d rate-limited) in %s | %.2f req/s over %s%n"
                    : "%s: %s, %d succeeded%s, %d failed%s | %s (%d rate-limited) in %s%n",
                s.state(),
                Numbers.count(s.total(), s.taskWord()),
                s.succeeded(),
                s.truncated() > 0 ? " (" + s.truncated() + " truncated at maxOutputTokens)" : "",
                s.failed(),
                s.restored() > 0 ? " (" + s.restored() + " restored from checkpoint)" : "",
                Numbers.count(s.requests(), "request"),
                s.rateLimited(),
                Durations.format(s.elapsed()),
                s.requestsPerSecond(),
                Numbers.count(s.slots(), "slot"));
    if (s.batchPart() && !allRestored(s))
      head = head.stripTrailing() + jobCount(s.jobs()) + System.lineSeparator();
    String slowed = slowedDown(s.slowdown());
    return head
        + cost(s)
        + System.lineSeparator()
        + contextCache(s)
        + perModel(s)
        + (slowed.isEmpty() ? "" : slowed + System.lineSeparator())
        + (s.requests() == 0 && s.restored() > 0
            ? "keys: not used (nothing was sent in this run)"
            : keyTable(s).printAll());
  }

  /** Every task's result came from the checkpoint: this run sent nothing. */
  private static boolean allRestored(RunStats s) {
    return s.total() > 0 && s.restored() == s.total() && s.requests() == 0;
  }

  /** {@code answered by model: gemini-2.5-flash 120, gemini-2.5-pro 240}, when several answered. */
  static String perModel(RunStats s) {
    if (s.succeededPerModel().size() < 2) return "";
    StringBuilder b = new StringBuilder("answered by model:");
    String sep = " ";
    for (var e : new java.util.TreeMap<>(s.succeededPerModel()).entrySet()) {
      b.append(sep).append(e.getKey()).append(' ').append(e.getValue());
      sep = ", ";
    }
    return b.append(System.lineSeparator()).toString();
  }

  /** See {@link RunStats#costText()}; a context cache's storage is its own figure. */
  public static String cost(RunStats s) {
    return requestsCost(s)
        + (s.cacheStorageCostUsd() > 0
            ? " + " + Numbers.usd(s.cacheStorageCostUsd()) + " context cache storage"
            : "");
  }

  /** {@code cache: project a cached (...), project b inline (...)}, or nothing without one. */
  static String contextCache(RunStats s) {
    return s.contextCache().isEmpty()
        ? ""
        : "cache: " + String.join(", ", s.contextCache()) + System.lineSeparator();
  }

  private static String requestsCost(RunStats s) {
    double usd = s.costUsd();
    if (Double.isNaN(usd)) return "cost: unknown (no price for this model; see --prices)";
    if (s.restoredCostUsd() <= 0) return "cost: " + Numbers.usd(usd);
    return "cost: "
        + Numbers.usd(Math.max(0, usd - s.restoredCostUsd()))
        + " this run ("
        + Numbers.usd(usd)
        + " with restored answers)";
  }

  /** See {@link Slowdown#statusText()}. */
  public static String throttled(Slowdown sd) {
    if (!sd.throttled()) return "";
    return "throttled: "
        + sd.cause()
        + sd.since().map(t -> " since " + CLOCK.format(t)).orElse("")
        + (sd.waiting().isZero() ? ", probing" : ", waiting " + Durations.format(sd.waiting()));
  }

  /** See {@link Slowdown#summaryText()}. */
  public static String slowedDown(Slowdown sd) {
    if (sd.episodes() == 0) return "";
    return "slowed down: throttled "
        + sd.episodes()
        + (sd.episodes() == 1 ? " time" : " times")
        + " for "
        + Durations.format(sd.throttledFor())
        + " in all (last: "
        + sd.cause()
        + sd.since().map(t -> " at " + CLOCK.format(t)).orElse("")
        + ")";
  }

  /** {@code jobs 1 pending 2 running 3 collected | in jobs 500}, the figures of the status line. */
  public static String jobs(JobStats j) {
    return String.format(
        Locale.ROOT,
        "jobs %d pending %d running %d collected | in jobs %d",
        j.pending(),
        j.running(),
        j.collected(),
        j.inJobs());
  }

  /** {@code | 3 batch jobs} (and how many are still running at Google). */
  private static String jobCount(JobStats j) {
    int open = j.pending() + j.running();
    return String.format(
        Locale.ROOT,
        " | %d batch job%s%s",
        j.jobs(),
        j.jobs() == 1 ? "" : "s",
        open > 0 ? " (" + open + " still at Google)" : "");
  }
}
