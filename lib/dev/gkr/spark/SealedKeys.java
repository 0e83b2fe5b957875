package dev.gkr.spark;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

/**
 * API keys on their way to the executors: each key's bytes XOR a random pad of the same length, so
 * no whole key is ever text in the serialised task, in a heap dump's strings, in a query plan or in
 * a log, and {@link #toString()} names only the count. This guards against showing a key by
 * accident; it is not encryption: whoever can read a task's bytes can rebuild the keys, as the
 * executor must.
 */
final class SealedKeys implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final byte[][] masked;
  private final byte[][] pads;

  SealedKeys(List<String> secrets) {
    masked = new byte[secrets.size()][];
    pads = new byte[secrets.size()][];
    for (int i = 0; i < secrets.size(); i++) {
      byte[] plain = secrets.get(i).getBytes(StandardCharsets.UTF_8);
      byte[] pad = new byte[plain.length];
      RANDOM.nextBytes(pad);
      for (int b = 0; b < plain.length; b++) plain[b] ^= pad[b];
      masked[i] = plain;
      pads[i] = pad;
    }
  }

  int size() {
    return masked.length;
  }

  /** The keys in clear, in order: only on the executor, right before a run needs them. */
  List<String> open() {
    List<String> out = new ArrayList<>(masked.length);
    for (int i = 0; i < masked.length; i++) {
      byte[] plain = masked[i].clone();
      for (int b = 0; b < plain.length; b++) plain[b] ^= pads[i][b];
      out.add(new String(plain, StandardCharsets.UTF_8));
    }
    return out;
  }

  @Override
  public String toString() {
    return masked.length + " API keys (sealed)";
  }
}
