package dev.gkr.sim;

/**
 * The simulator's explicit context caches ({@code cachedContents}) so far.
 *
 * @param created caches created since the simulator started
 * @param live caches that exist now: not deleted, not expired
 */
public record SimCaches(int created, int live) {}
