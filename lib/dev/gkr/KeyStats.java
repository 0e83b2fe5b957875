package dev.gkr;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * One key's counts in a run ({@link RunStats#keys()}); {@code state} is active, cooling, parked or
 * retired; {@code failures} are the answers that were neither a success nor a 429 (those are {@code
 * rateLimited}); {@code requestsPerMinute} is the key's share of its project's current paced rate
 * (0 when no {@link Limits} are declared); {@code costUsd} what its answers in this run cost (NaN
 * when the price is unknown); {@code successesPerModel} its successes by the model that answered
 * (with fallback models; sorted by model; empty when not counted).
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
    double costUsd,
    Map<String, Long> successesPerModel) {
  public KeyStats {
    successesPerModel = Collections.unmodifiableMap(new TreeMap<>(successesPerModel));
  }
}
