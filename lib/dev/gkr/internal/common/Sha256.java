package dev.gkr.internal.common;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The one SHA-256 helper: task hashes, key fingerprints, attached files and the Parquet driver
 * download. Thread-safe.
 */
public final class Sha256 {
  private static final MessageDigest PROTOTYPE = lookUp();

  private Sha256() {}

  /** A fresh digest, cloned from a prototype: far cheaper than a provider look-up per task. */
  public static MessageDigest digest() {
    try {
      return (MessageDigest) PROTOTYPE.clone();
    } catch (CloneNotSupportedException e) {
      return lookUp();
    }
  }

  /** The first {@code bytes} bytes of the text's SHA-256, as lower-case hex. */
  public static String hex(String text, int bytes) {
    return hex(digest().digest(text.getBytes(StandardCharsets.UTF_8)), bytes);
  }

  public static String hex(byte[] digest, int bytes) {
    return HexFormat.of().formatHex(digest, 0, bytes);
  }

  /** The whole digest of what {@code digest} was fed, as lower-case hex. */
  public static String hex(MessageDigest digest) {
    return HexFormat.of().formatHex(digest.digest());
  }

  private static MessageDigest lookUp() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no SHA-256", e);
    }
  }
}
