package dev.gkr.internal.common;

import java.nio.charset.StandardCharsets;

/**
 * The one token estimate gkr makes before the API has counted: about four UTF-8 bytes a token
 * (English prose is close to that; other scripts take more bytes a character and about as many
 * bytes a token). Used to reserve a project's input-token budget and by the plan; every answer's
 * {@code promptTokenCount} corrects it.
 */
public final class Tokens {
  static final int BYTES_PER_TOKEN = 4;

  private Tokens() {}

  /** Input tokens for a prompt with a system instruction (either may be empty); at least 1. */
  public static long estimate(String prompt, String system) {
    long bytes = utf8Length(prompt) + utf8Length(system);
    return Math.max(1, (bytes + BYTES_PER_TOKEN - 1) / BYTES_PER_TOKEN);
  }

  static long utf8Length(String s) {
    return s.isEmpty() ? 0 : s.getBytes(StandardCharsets.UTF_8).length;
  }
}
