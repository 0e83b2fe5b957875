package dev.gkr.sim;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Faults below the API: dropped connections, bodies cut short, a proxy's HTML page. The JDK server
 * closes a connection whose handler throws, which is how a drop is made here.
 */
final class WireFaults {
  private static final String PROXY_502_PAGE =
      "<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>";

  private WireFaults() {}

  static boolean isWire(Fault f) {
    return f == Fault.CONNECTION_RESET
        || f == Fault.RESET_MIDWAY
        || f == Fault.TRUNCATED_BODY
        || f == Fault.HTML_502;
  }

  static void send(HttpExchange ex, Fault fault, byte[] body) throws IOException {
    switch (fault) {
      case CONNECTION_RESET -> throw new IOException("simulated connection reset");
      case RESET_MIDWAY -> {
        ex.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
        ex.sendResponseHeaders(200, body.length);
        OutputStream out = ex.getResponseBody();
        out.write(body, 0, body.length / 2);
        out.flush();
        throw new IOException("simulated reset halfway through the body");
      }
      case TRUNCATED_BODY -> {
        ex.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
        ex.sendResponseHeaders(200, body.length / 2);
        try (OutputStream out = ex.getResponseBody()) {
          out.write(body, 0, body.length / 2);
        }
      }
      case HTML_502 -> {
        byte[] html = PROXY_502_PAGE.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "text/html; charset=UTF-8");
        ex.sendResponseHeaders(502, html.length);
        try (OutputStream out = ex.getResponseBody()) {
          out.write(html);
        }
      }
      default -> throw new IllegalArgumentException("not a wire fault: " + fault);
    }
  }
}
