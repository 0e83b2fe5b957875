/**
 * What each task sends: its own system instruction, generationConfig and files, all checked before
 * the first request, and the generationConfig built from the settings. Part of gkr's internals:
 * public to the compiler, not API (no compatibility promise); see the README's Architecture
 * section.
 */
package dev.gkr.internal.request;
