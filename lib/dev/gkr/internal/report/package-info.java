/**
 * How a run's figures read for people: the status line, the summary and the per-key table. Part of
 * gkr's internals: public to the compiler, not API (no compatibility promise); see the README's
 * Architecture section.
 */
package dev.gkr.internal.report;
