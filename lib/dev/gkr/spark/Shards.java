package dev.gkr.spark;

/**
 * How many shards {@link GkrSpark#generate} runs: by default one per project; {@link #of} asks for
 * fewer (never more: a project's keys are never split, so that its quota is spent by one shard).
 *
 * @param count at most this many shards; 0: one per project
 */
public record Shards(int count) {
  /** One shard per project (the default). */
  public static final Shards PER_PROJECT = new Shards(0);

  public Shards {
    if (count < 0) throw new IllegalArgumentException("shards must be >= 1, was " + count);
  }

  /** At most {@code n} shards; a shard then holds several projects. */
  public static Shards of(int n) {
    if (n < 1) throw new IllegalArgumentException("shards must be >= 1, was " + n);
    return new Shards(n);
  }
}
