package dev.gkr;

import java.util.Locale;

/**
 * Why a request got no HTTP answer, read from the exception's causes where the failure is
 * classified: what a {@link Outcome.Failure} of type {@link ErrorType#CONNECTION} or {@link
 * ErrorType#TIMEOUT} names instead of the SDK's bare "Failed to execute HTTP request".
 */
public enum NetworkCause {
  /** The host name did not resolve (no DNS, no network, a typo in the base URL). */
  UNKNOWN_HOST("unknown host (DNS lookup failed)", true),
  /** Nothing listens at the address (a wrong port, a proxy or local server that is down). */
  CONNECTION_REFUSED("connection refused", true),
  /** No route to the host, or the network is down. */
  UNREACHABLE("network unreachable", true),
  /** The connection was not made within the connect timeout (a firewall dropping packets). */
  CONNECT_TIMEOUT("connect timed out", true),
  /** The TLS handshake failed (a proxy that intercepts TLS, a clock far off, an old JDK). */
  TLS_HANDSHAKE("TLS handshake failed", true),
  /** The connection was reset or closed while the request was under way. */
  CONNECTION_RESET("connection reset", false),
  /** The connection was made but the answer did not arrive within the timeout. */
  READ_TIMEOUT("no answer within the timeout", false),
  /** Another I/O failure. */
  OTHER("network error", false);

  private final String label;
  private final boolean noConnection;

  NetworkCause(String label, boolean noConnection) {
    this.label = label;
    this.noConnection = noConnection;
  }

  /** For people: {@code connection refused}, {@code unknown host (DNS lookup failed)}. */
  public String label() {
    return label;
  }

  /**
   * True when no connection to the server was ever made: the request cannot have reached it. A
   * reset or a slow answer means something answered at the other end.
   */
  public boolean noConnection() {
    return noConnection;
  }

  /** Lower-case name, e.g. {@code connection_refused}. */
  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }
}
