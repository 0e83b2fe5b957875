/**
 * Result rows and tables: a task's result, the results table with its fixed columns, typed
 * metadata, and the JSON, JSON Lines and Parquet formats. Part of gkr's internals: public to the
 * compiler, not API (no compatibility promise); see the README's Architecture section.
 */
package dev.gkr.internal.table;
