/**
 * One call to the Gemini API through the official SDK: the shared transport, the request timeout,
 * the uploads of large files, and how an answer or an exception is classified. Part of gkr's
 * internals: public to the compiler, not API (no compatibility promise); see the README's
 * Architecture section.
 */
package dev.gkr.internal.call;
