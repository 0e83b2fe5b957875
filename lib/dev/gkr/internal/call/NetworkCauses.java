package dev.gkr.internal.call;

import dev.gkr.NetworkCause;
import java.io.EOFException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Locale;
import javax.net.ssl.SSLException;

/**
 * Names the network failure behind an exception. The SDK wraps what OkHttp threw in a {@code
 * GenAiIOException: Failed to execute HTTP request}, which says nothing of why; the JDK's exception
 * types below it do (an {@link UnknownHostException} for a failed DNS lookup, a {@link
 * ConnectException} for a refused connection, ...). The causes are walked once; the outermost that
 * names a cause gives the message (it holds the address).
 */
final class NetworkCauses {
  private NetworkCauses() {}

  /** The cause and a message for the error log: {@code connection refused: Failed to ...}. */
  record Found(NetworkCause cause, String message) {}

  static Found of(Throwable e) {
    Throwable outer = null;
    NetworkCause cause = null;
    int depth = 0;
    for (Throwable c = e; c != null && depth < 32; c = c.getCause(), depth++) {
      NetworkCause here = named(c);
      if (here == null) continue;
      if (outer == null) outer = c;
      // The innermost names the cause best (OkHttp's "Failed to connect" wraps a timeout), except
      // that a failed lookup or handshake is what the user must fix, whatever broke inside it.
      if (cause != NetworkCause.UNKNOWN_HOST && cause != NetworkCause.TLS_HANDSHAKE) cause = here;
    }
    if (cause == null) return new Found(NetworkCause.OTHER, describe(e));
    if (cause == NetworkCause.READ_TIMEOUT) return new Found(cause, cause.label());
    return new Found(cause, cause.label() + ": " + describe(outer));
  }

  /** The cause one exception names by its type (and, for timeouts and resets, its message). */
  private static NetworkCause named(Throwable c) {
    String msg = c.getMessage() == null ? "" : c.getMessage().toLowerCase(Locale.ROOT);
    if (c instanceof UnknownHostException) return NetworkCause.UNKNOWN_HOST;
    if (c instanceof NoRouteToHostException) return NetworkCause.UNREACHABLE;
    if (c instanceof SocketTimeoutException)
      return msg.contains("connect") ? NetworkCause.CONNECT_TIMEOUT : NetworkCause.READ_TIMEOUT;
    if (c instanceof InterruptedIOException && msg.equals("timeout"))
      return NetworkCause.READ_TIMEOUT; // OkHttp's call timeout
    if (c instanceof ConnectException) {
      if (msg.contains("unreachable")) return NetworkCause.UNREACHABLE;
      if (msg.contains("timed out")) return NetworkCause.CONNECT_TIMEOUT;
      return NetworkCause.CONNECTION_REFUSED;
    }
    if (c instanceof SSLException) return NetworkCause.TLS_HANDSHAKE;
    if (c instanceof SocketException && (msg.contains("reset") || msg.contains("broken pipe")))
      return NetworkCause.CONNECTION_RESET;
    if (c instanceof EOFException || msg.contains("unexpected end of stream"))
      return NetworkCause.CONNECTION_RESET;
    return null;
  }

  private static String describe(Throwable c) {
    return c.getMessage() == null
        ? c.getClass().getSimpleName()
        : c.getMessage() + " (" + c.getClass().getSimpleName() + ")";
  }
}
