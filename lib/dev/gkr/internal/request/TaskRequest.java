package dev.gkr.internal.request;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gkr.internal.config.Settings;
import java.util.List;
import java.util.Optional;

/**
 * What one task sends besides its prompt, checked before the first request: its system instruction
 * and generationConfig (the batch's, or the task's own {@code system} / {@code config} over them)
 * and its files.
 *
 * @param overridden true when system or config differ from the batch's (the SDK config is then
 *     built per task)
 * @param hashExtra canonical text of all this for the checkpoint hash; empty when the request is
 *     prompt, system and temperature alone, so checkpoints written before gkr sent more keep
 *     matching
 */
public record TaskRequest(
    Optional<String> system,
    ObjectNode generationConfig,
    boolean overridden,
    List<Attachment> files,
    String hashExtra) {

  public TaskRequest {
    files = List.copyOf(files);
  }

  /** The task's own maxOutputTokens (its {@code config}), or 0 to take the run's. */
  public int ownMaxOutputTokens() {
    return overridden ? Settings.maxOutputTokens(generationConfig) : 0;
  }

  /**
   * Input tokens of the files, roughly as the API counts them (an image 258; text 4 bytes a token;
   * media by size).
   */
  public long estimatedFileTokens() {
    long n = 0;
    for (Attachment a : files) {
      String m = a.mimeType();
      long size = a instanceof Attachment.Local l ? l.size() : 0;
      if (m.startsWith("image/") || size == 0) n += 258;
      else if (m.equals("application/pdf")) n += 258 * Math.max(1, size / 50_000);
      else if (m.startsWith("audio/")) n += Math.max(1, size / 16_000 * 32);
      else if (m.startsWith("video/")) n += Math.max(1, size / 128_000 * 263);
      else n += (size + 3) / 4;
    }
    return n;
  }
}
