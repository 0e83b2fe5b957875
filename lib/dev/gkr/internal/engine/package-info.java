/**
 * The synchronous part of a run: one virtual thread per slot ({@code SlotPool}), the {@code
 * Scheduler} that decides under one lock which slot starts which task when, what each kind of
 * failure does ({@code Failures}), and the run-wide throttle that rides out storms. Part of gkr's
 * internals: public to the compiler, not API (no compatibility promise); see the README's
 * Architecture section.
 */
package dev.gkr.internal.engine;
