package dev.gkr.internal.common;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The one rule for where gkr may send API keys: every request carries a key in a header, so a base
 * URL must be {@code https://}, or plain {@code http://} to this machine (a loopback address:
 * {@code 127.0.0.0/8}, {@code ::1}, {@code localhost}: the simulator, a local proxy). Plain HTTP to
 * any other host needs the user's explicit opt-in. The same rule holds for {@code --base-url},
 * {@code Rotator.baseUrl} and the {@code GOOGLE_GEMINI_BASE_URL} environment variable.
 *
 * <p>Only literal loopback addresses and the name {@code localhost} count: a name is not looked up,
 * since what it resolves to may change between this check and the request.
 */
public final class BaseUrls {
  /** The environment variable the SDK (and gkr, when no base URL is given) reads. */
  public static final String ENV = "GOOGLE_GEMINI_BASE_URL";

  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  private BaseUrls() {}

  /**
   * Checks {@code url}, given as {@code name} (an option, a method or a variable); {@code optIn}
   * says how the user allows plain HTTP to another host, for the message.
   *
   * @throws IllegalArgumentException naming {@code name}, the URL and what to do
   */
  public static String check(String url, String name, boolean insecure, String optIn) {
    if (url == null || !(url.startsWith("http://") || url.startsWith("https://")))
      throw new IllegalArgumentException(name + " must start with http:// or https://, was " + url);
    URI uri = uri(url, name);
    String host = uri.getHost();
    if (url.startsWith("https://") || insecure || isLoopback(host)) return url;
    throw new IllegalArgumentException(
        name
            + " "
            + shown(uri)
            + ": plain http:// to "
            + host
            + ", which is not this machine, would send every API key in clear text; use https://"
            + " (plain http:// is allowed only to 127.0.0.1, ::1 or localhost), or "
            + optIn
            + " if you mean it");
  }

  private static URI uri(String url, String name) {
    try {
      URI uri = new URI(url);
      if (uri.getHost() == null || uri.getHost().isEmpty())
        throw new IllegalArgumentException(name + " " + url + ": no valid host name");
      return uri;
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          name + " must be a valid URL (" + e.getReason() + " at index " + e.getIndex() + ")");
    }
  }

  /** The URL without user info or query, which may hold a password or a key. */
  private static String shown(URI uri) {
    return uri.getScheme()
        + "://"
        + uri.getHost()
        + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
        + (uri.getRawPath() == null ? "" : uri.getRawPath());
  }

  /** A literal loopback address or {@code localhost}; never a DNS lookup. */
  public static boolean isLoopback(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    if (h.equals("localhost") || h.equals("localhost.")) return true;
    if (IPV4.matcher(h).matches()) {
      String[] octets = h.split("\\.");
      for (String o : octets) if (Integer.parseInt(o) > 255) return false;
      return octets[0].equals("127");
    }
    // an IPv6 literal, bracketed in a URL and bare in OkHttp's HttpUrl.host()
    if (!h.contains(":")) return false;
    try {
      // with a ':' it is parsed as an IPv6 literal, never looked up
      return InetAddress.getByName(h).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
