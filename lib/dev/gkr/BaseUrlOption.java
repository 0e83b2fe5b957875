package dev.gkr;

/**
 * Options of {@link Rotator#baseUrl(String, BaseUrlOption...)}, in the manner of {@code
 * java.nio.file.OpenOption}: none are needed for {@code https://} or for plain {@code http://} to
 * this machine (the simulator, a local proxy).
 */
public enum BaseUrlOption {
  /**
   * Allows plain {@code http://} to a host that is not this machine. Every request carries an API
   * key in a header, so the keys then cross the network in clear text: only for a network you trust
   * (the command line's {@code --insecure-base-url}).
   */
  INSECURE
}
