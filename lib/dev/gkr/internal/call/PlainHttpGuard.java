package dev.gkr.internal.call;

import dev.gkr.internal.common.BaseUrls;
import java.io.IOException;
import java.util.Optional;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.Response;

/**
 * Keeps API keys out of clear text on every hop, redirects included. The base URL passed {@link
 * BaseUrls}' rule when it was given, but OkHttp follows a redirect (a 307 keeps the method, the
 * body and the {@code x-goog-api-key} header) wherever it points: a server at an allowed address
 * could send the key to plain {@code http://} anywhere. As a network interceptor this sees each
 * request as it goes on the wire and refuses plain HTTP to any host but a loopback one or the base
 * URL's own (which the user allowed).
 */
final class PlainHttpGuard implements Interceptor {
  private final Optional<String> allowedHost;

  /**
   * {@code baseUrl}: the checked base URL, if any; when it is plain HTTP (allowed by the rule), its
   * host may be reached over plain HTTP.
   */
  PlainHttpGuard(Optional<String> baseUrl) {
    this.allowedHost =
        baseUrl.filter(u -> u.startsWith("http://")).map(HttpUrl::parse).map(HttpUrl::host);
  }

  @Override
  public Response intercept(Chain chain) throws IOException {
    HttpUrl url = chain.request().url();
    if (url.isHttps()
        || allowedHost.filter(url.host()::equalsIgnoreCase).isPresent()
        || BaseUrls.isLoopback(url.host())) return chain.proceed(chain.request());
    throw new IOException(
        "refused to send an API key in clear text to http://"
            + url.host()
            + " (a redirect from the base URL): plain http:// is allowed only to this machine or the"
            + " base URL's own host");
  }
}
