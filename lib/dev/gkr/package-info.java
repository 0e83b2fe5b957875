/**
 * gkr: push large batches of prompts through the Gemini API across many API keys, at the keys'
 * quota limit, without losing or duplicating a result. Start at {@link dev.gkr.Rotator}.
 *
 * <p>Everything is non-null unless it is an {@link java.util.Optional}; time is a {@link
 * java.time.Duration}. API keys never appear whole in any output: a key shows as its label and last
 * four characters.
 */
package dev.gkr;
