package dev.gkr.sim;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A non-text part of a request as the simulator saw it: inline data or a {@code fileData} URI.
 *
 * @param bytes decoded size of inline data, or the size of the uploaded file a URI names (0 when
 *     unknown)
 * @param fileUri the URI of a {@code fileData} part; empty for inline data
 * @param tokens what the part counts as input: an image 258, a PDF 258 a page, text about 4 bytes a
 *     token, audio 32 a second and video 263 a second (at a nominal 16 KB/s and 128 KB/s)
 * @param digest a short digest of the content (of the URI for a file the simulator does not hold),
 *     so answers about different files differ
 */
public record SimPart(String mimeType, long bytes, String fileUri, int tokens, String digest) {
  private static final Pattern PAGE = Pattern.compile("/Type\\s*/Page(?![a-zA-Z])");

  /** Inline data, as opposed to a file URI. */
  public boolean inline() {
    return fileUri.isEmpty();
  }

  static SimPart inline(String mimeType, byte[] data) {
    return new SimPart(mimeType, data.length, "", tokensOf(mimeType, data), digestOf(data));
  }

  static String digestOf(byte[] data) {
    try {
      return java.util.HexFormat.of()
          .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(data), 0, 4);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static int tokensOf(String mimeType, byte[] data) {
    String m = mimeType.toLowerCase(java.util.Locale.ROOT);
    if (m.startsWith("image/")) return 258;
    if (m.equals("application/pdf")) {
      Matcher pages = PAGE.matcher(new String(data, StandardCharsets.ISO_8859_1));
      int n = 0;
      while (pages.find()) n++;
      return 258 * Math.max(1, n);
    }
    if (m.startsWith("audio/")) return Math.max(1, (int) (data.length / 16_000L * 32));
    if (m.startsWith("video/")) return Math.max(1, (int) (data.length / 128_000L * 263));
    return Math.max(1, (data.length + 3) / 4);
  }

  @Override
  public String toString() {
    return inline()
        ? "inline " + mimeType + " " + bytes + " B"
        : "file " + fileUri + (mimeType.isEmpty() ? "" : " " + mimeType);
  }
}
