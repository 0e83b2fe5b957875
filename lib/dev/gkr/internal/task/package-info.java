/**
 * A task's progress through a run ({@code TaskState}, changed only by the part that owns it) and
 * the one {@code RetryPolicy} of synchronous calls and Batch Mode. Part of gkr's internals: public
 * to the compiler, not API (no compatibility promise); see the README's Architecture section.
 */
package dev.gkr.internal.task;
