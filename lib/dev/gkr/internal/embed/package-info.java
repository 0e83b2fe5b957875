/**
 * Embeddings in bulk: texts packed up to 100 a {@code batchEmbedContents} call, each text counted
 * against its project's requests-per-minute and its tokens against the tokens-per-minute limit, as
 * Gemini counts them. Internal: not API.
 */
package dev.gkr.internal.embed;
