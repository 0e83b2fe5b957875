package dev.gkr.sim;

import java.time.Instant;

/**
 * One request as the simulator saw it. {@code key} is masked (last four characters only), so the
 * log can be printed or written without leaking a key.
 *
 * @param nanos arrival time on the simulator's monotonic clock ({@link System#nanoTime()})
 * @param outcome what the simulator answered: {@code ok}, {@code rate_limited}, {@code key_invalid}, ...
 */
public record SimRequest(Instant time, long nanos, String key, String model, String prompt, int status, String outcome) {}
