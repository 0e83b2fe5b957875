package dev.gkr.internal.common;

import java.util.Objects;

/**
 * An API key and how it may be shown. {@link #toString()} and {@link #display()} never reveal the
 * secret: a label plus the last four characters (none for keys shorter than 16 characters, which
 * would show too much).
 */
public final class ApiKey {
  private final String secret;
  private final String label;
  private final int index;
  private final String display;

  public ApiKey(String secret, String label, int index) {
    this.secret = Objects.requireNonNull(secret, "key");
    this.label = label;
    this.index = index;
    this.display = label + "…" + tail(secret);
  }

  public String secret() {
    return secret;
  }

  public int index() {
    return index;
  }

  String label() {
    return label;
  }

  /** e.g. {@code key-3…9kQz}. */
  public String display() {
    return display;
  }

  static String tail(String secret) {
    return secret.length() >= 16 ? secret.substring(secret.length() - 4) : "";
  }

  @Override
  public String toString() {
    return display();
  }
}
