/**
 * The run's settings, copied from the {@code Rotator} when a run starts and never changed
 * afterwards. Part of gkr's internals: public to the compiler, not API (no compatibility promise);
 * see the README's Architecture section.
 */
package dev.gkr.internal.config;
