/**
 * Lenient JSON: answers parsed and repaired where one reading is plain, refused with a reason where
 * a value would be invented or content dropped. Part of gkr's internals: public to the compiler,
 * not API (no compatibility promise); see the README's Architecture section.
 */
package dev.gkr.internal.json;
