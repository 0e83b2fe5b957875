/**
 * Gemini Batch Mode: jobs submitted, journaled, polled and collected on the batch thread, within
 * the cost cap, with the retry rules of the synchronous part. Part of gkr's internals: public to
 * the compiler, not API (no compatibility promise); see the README's Architecture section.
 */
package dev.gkr.internal.batchmode;
