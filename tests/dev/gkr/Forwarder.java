package dev.gkr;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Collections;
import java.util.Optional;

/**
 * Makes a loopback-only server (the simulator) reachable at this machine's own non-loopback
 * address, so a test can point gkr at {@code http://<lan address>:port} and see from the
 * simulator's request log whether anything was sent there: without it, a refused URL and an
 * unreachable one look alike.
 */
public final class Forwarder implements AutoCloseable {
  private final ServerSocket server;
  private final String host;

  private Forwarder(String host, int targetPort) throws IOException {
    this.host = host;
    this.server = new ServerSocket(0, 50, InetAddress.getByName(host));
    Thread.ofVirtual()
        .start(
            () -> {
              while (!server.isClosed()) {
                try {
                  Socket in = server.accept();
                  Socket out = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                  pipe(in, out);
                  pipe(out, in);
                } catch (IOException e) {
                  return;
                }
              }
            });
  }

  /** A forwarder on this machine's first non-loopback IPv4 address, if it has one. */
  public static Optional<Forwarder> toLoopbackPort(int port) throws IOException {
    for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (!nic.isUp() || nic.isLoopback()) continue;
      for (InetAddress a : Collections.list(nic.getInetAddresses()))
        if (a instanceof Inet4Address && !a.isLoopbackAddress())
          return Optional.of(new Forwarder(a.getHostAddress(), port));
    }
    return Optional.empty();
  }

  /** {@code http://<non-loopback address>:<port>}: plain HTTP to a host that is not loopback. */
  public String baseUrl() {
    return "http://" + host + ":" + server.getLocalPort();
  }

  private static void pipe(Socket from, Socket to) {
    Thread.ofVirtual()
        .start(
            () -> {
              try (InputStream in = from.getInputStream();
                  OutputStream out = to.getOutputStream()) {
                in.transferTo(out);
              } catch (IOException ignored) {
                // the other side closed
              } finally {
                try {
                  to.shutdownOutput();
                } catch (IOException | RuntimeException ignored) {
                  // already closed
                }
              }
            });
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
