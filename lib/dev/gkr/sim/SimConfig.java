package dev.gkr.sim;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Immutable settings of a simulator; made by {@link Simulator.Builder}. */
record SimConfig(
    Duration latencyMean,
    Duration latencyJitter,
    Map<String, KeyBehavior> keys,
    KeyBehavior unknownKeys,
    Map<String, String> projectOfKey,
    Map<String, Quota> projects,
    Quota quotaPerKey,
    Map<Fault, Double> faultRates,
    double malformedJsonRate,
    long seed,
    boolean keepLog,
    List<Storm> storms,
    java.util.function.LongSupplier clock,
    java.util.Set<String> missingModels,
    BatchSchedule batches) {

  /** A fault drawn at the configured rates, or null. */
  Fault randomFault(java.util.Random random) {
    for (Map.Entry<Fault, Double> e : faultRates.entrySet()) {
      if (random.nextDouble() < e.getValue()) return e.getKey();
    }
    return null;
  }

  /** Waits the configured latency (an hour for a {@code [[sim:hang]]} prompt). */
  void sleepLatency(String prompt) throws InterruptedException {
    if (prompt.contains("[[sim:hang]]")) Thread.sleep(Duration.ofHours(1));
    long mean = latencyMean.toNanos();
    long jitter = latencyJitter.toNanos();
    long nanos =
        jitter == 0
            ? mean
            : mean + java.util.concurrent.ThreadLocalRandom.current().nextLong(-jitter, jitter + 1);
    if (nanos > 0) Thread.sleep(Duration.ofNanos(nanos));
  }
}
