package dev.gkr.internal.engine;

import dev.gkr.KeyStats;
import dev.gkr.Slowdown;
import java.util.List;
import java.util.Map;

/** The synchronous part's figures at one moment ({@link Scheduler#progress}). */
public record SyncProgress(
    int succeeded,
    int failed,
    int queued,
    int inFlight,
    long requests,
    long rateLimited,
    int truncated,
    int answered,
    List<KeyStats> keys,
    double pacedRequestsPerMinute,
    Slowdown slowdown,
    Map<String, Integer> succeededPerModel) {}
