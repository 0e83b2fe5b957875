/**
 * What a run writes to survive a crash: the append-only checkpoint and the hash that tells whether
 * a task changed. Part of gkr's internals: public to the compiler, not API (no compatibility
 * promise); see the README's Architecture section.
 */
package dev.gkr.internal.store;
