package dev.gkr.internal.common;

import java.nio.file.Path;

/**
 * The files gkr keeps beside a checkpoint, named after it: {@code tasks.checkpoint.jsonl} gives
 * {@code tasks.checkpoint.parked.json} (keys whose daily quota is spent), {@code
 * tasks.checkpoint.batches.json} (the Batch Mode journal), {@code tasks.checkpoint.caches.json}
 * (explicit context caches alive at Google) and {@code tasks.checkpoint.uploads.jsonl} (files
 * uploaded through the Files API).
 */
public final class SideFiles {
  public static final String PARKED_KEYS = ".parked.json";
  public static final String BATCH_JOURNAL = ".batches.json";
  public static final String UPLOADS = ".uploads.jsonl";
  public static final String CACHE_JOURNAL = ".caches.json";

  private SideFiles() {}

  /** The file with this suffix beside {@code checkpoint} (its {@code .jsonl} dropped). */
  public static Path beside(Path checkpoint, String suffix) {
    String name = checkpoint.getFileName().toString();
    String base = name.endsWith(".jsonl") ? name.substring(0, name.length() - 6) : name;
    return checkpoint.resolveSibling(base + suffix);
  }
}
