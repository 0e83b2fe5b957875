/**
 * What a batch will take before a request is spent: its rate, cost and the assumptions behind them
 * ({@code Rotator.plan}); also how {@code Mode.AUTO} splits a batch. Part of gkr's internals:
 * public to the compiler, not API (no compatibility promise); see the README's Architecture
 * section.
 */
package dev.gkr.internal.plan;
