/**
 * Keys and projects in a run: each key's state (cooling, parked, retired), each project's pacing,
 * token window and daily limit, and the keys parked until midnight Pacific. Part of gkr's
 * internals: public to the compiler, not API (no compatibility promise); see the README's
 * Architecture section.
 */
package dev.gkr.internal.keys;
