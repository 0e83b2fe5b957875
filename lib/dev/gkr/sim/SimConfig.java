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
    BatchSchedule batches) {}
