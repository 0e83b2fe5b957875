/**
 * gkr on Apache Spark: {@link dev.gkr.spark.GkrSpark#generate} sends a {@code Dataset<Row>} of
 * tasks through a {@link dev.gkr.Rotator}'s keys in shards (a project's keys in exactly one shard)
 * and returns the results as a {@code Dataset<Row>}. Spark is a {@code provided} dependency: only
 * this package needs it, and it sits above the API (it also uses the internal run, config and table
 * packages; nothing else uses it).
 *
 * <p>Everything is non-null; API keys never appear whole in a plan, a log or the event log.
 */
package dev.gkr.spark;
