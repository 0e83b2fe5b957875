/**
 * One of each helper the other packages share: the clock, the JSON mapper, SHA-256, the token
 * estimate, the backoff, number formatting, the files beside the checkpoint, and keys that never
 * show whole. Part of gkr's internals: public to the compiler, not API (no compatibility promise);
 * see the README's Architecture section.
 */
package dev.gkr.internal.common;
