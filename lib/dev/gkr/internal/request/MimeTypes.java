package dev.gkr.internal.request;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The MIME type of a file Gemini can read, from its first bytes where they are distinctive (a
 * {@code .jpg} that is really a PNG is sent as PNG), else from its extension; plain UTF-8 text
 * counts as {@code text/plain}.
 */
final class MimeTypes {
  private static final Map<String, String> BY_EXTENSION =
      Map.ofEntries(
          Map.entry("png", "image/png"),
          Map.entry("jpg", "image/jpeg"),
          Map.entry("jpeg", "image/jpeg"),
          Map.entry("webp", "image/webp"),
          Map.entry("heic", "image/heic"),
          Map.entry("heif", "image/heif"),
          Map.entry("pdf", "application/pdf"),
          Map.entry("txt", "text/plain"),
          Map.entry("md", "text/markdown"),
          Map.entry("csv", "text/csv"),
          Map.entry("html", "text/html"),
          Map.entry("htm", "text/html"),
          Map.entry("xml", "text/xml"),
          Map.entry("json", "application/json"),
          Map.entry("rtf", "text/rtf"),
          Map.entry("css", "text/css"),
          Map.entry("js", "text/javascript"),
          Map.entry("py", "text/x-python"),
          Map.entry("wav", "audio/wav"),
          Map.entry("mp3", "audio/mp3"),
          Map.entry("aiff", "audio/aiff"),
          Map.entry("aac", "audio/aac"),
          Map.entry("ogg", "audio/ogg"),
          Map.entry("flac", "audio/flac"),
          Map.entry("m4a", "audio/mp4"),
          Map.entry("mp4", "video/mp4"),
          Map.entry("mpeg", "video/mpeg"),
          Map.entry("mpg", "video/mpeg"),
          Map.entry("mov", "video/mov"),
          Map.entry("avi", "video/avi"),
          Map.entry("flv", "video/x-flv"),
          Map.entry("webm", "video/webm"),
          Map.entry("wmv", "video/wmv"),
          Map.entry("3gp", "video/3gpp"));

  private MimeTypes() {}

  /** From the name alone (for URIs); empty when the extension is not one Gemini reads. */
  static Optional<String> ofName(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    int q = n.indexOf('?');
    if (q >= 0) n = n.substring(0, q);
    int dot = n.lastIndexOf('.');
    int slash = n.lastIndexOf('/');
    return dot > slash && dot >= 0
        ? Optional.ofNullable(BY_EXTENSION.get(n.substring(dot + 1)))
        : Optional.empty();
  }

  /** From the content's first bytes, then the name; empty when Gemini cannot read it. */
  static Optional<String> of(String name, byte[] head) {
    Optional<String> sniffed = sniff(head);
    if (sniffed.isPresent()) return sniffed;
    Optional<String> byName = ofName(name);
    if (byName.isPresent()) return byName;
    return isText(head) ? Optional.of("text/plain") : Optional.empty();
  }

  private static Optional<String> sniff(byte[] b) {
    if (starts(b, 0, 0x89, 'P', 'N', 'G')) return Optional.of("image/png");
    if (starts(b, 0, 0xFF, 0xD8, 0xFF)) return Optional.of("image/jpeg");
    if (starts(b, 0, '%', 'P', 'D', 'F')) return Optional.of("application/pdf");
    if (starts(b, 0, 'R', 'I', 'F', 'F') && starts(b, 8, 'W', 'E', 'B', 'P'))
      return Optional.of("image/webp");
    if (starts(b, 0, 'R', 'I', 'F', 'F') && starts(b, 8, 'W', 'A', 'V', 'E'))
      return Optional.of("audio/wav");
    if (starts(b, 0, 'f', 'L', 'a', 'C')) return Optional.of("audio/flac");
    if (starts(b, 0, 'O', 'g', 'g', 'S')) return Optional.of("audio/ogg");
    if (starts(b, 0, 'I', 'D', '3')) return Optional.of("audio/mp3");
    if (starts(b, 0, 0x1A, 0x45, 0xDF, 0xA3)) return Optional.of("video/webm");
    if (starts(b, 4, 'f', 't', 'y', 'p') && b.length >= 12) {
      String brand = new String(b, 8, 4, StandardCharsets.ISO_8859_1);
      return switch (brand) {
        case "heic", "heix", "hevc", "hevx" -> Optional.of("image/heic");
        case "mif1", "msf1" -> Optional.of("image/heif");
        case "qt  " -> Optional.of("video/mov");
        case "M4A " -> Optional.of("audio/mp4");
        default -> Optional.of("video/mp4");
      };
    }
    return Optional.empty();
  }

  private static boolean starts(byte[] b, int at, int... magic) {
    if (b.length < at + magic.length) return false;
    for (int i = 0; i < magic.length; i++) if ((b[at + i] & 0xFF) != magic[i]) return false;
    return true;
  }

  private static boolean isText(byte[] head) {
    if (head.length == 0) return false;
    for (byte x : head) if (x == 0) return false;
    try {
      // the head may end inside a multi-byte character: ignore at most the last 3 bytes
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .decode(
              java.nio.ByteBuffer.wrap(
                  head, 0, head.length < 4096 ? head.length : head.length - 3));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }
}
