/**
 * One run: checks every task, restores the finished ones from the checkpoint, hands the rest to the
 * synchronous part ({@code engine}), to Gemini Batch Mode ({@code batchmode}) or to both, and
 * builds the results table. Part of gkr's internals: public to the compiler, not API (no
 * compatibility promise); see the README's Architecture section.
 */
package dev.gkr.internal.run;
