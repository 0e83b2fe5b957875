package dev.gkr.internal.table;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.ResultSet;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Parquet engine's run-time loading (issue 20): fetched once from a Maven repository (here a
 * local HTTP server serving the published jar, never the network), checked against the pinned
 * SHA-256, then loaded from the local repository in its own class loader.
 */
class DuckDbFetchTest {
  @TempDir Path dir;

  /** The published jar, from Maven's class path for these tests. */
  static Path publishedJar() throws Exception {
    return Path.of(
        Class.forName("org.duckdb.DuckDBDriver")
            .getProtectionDomain()
            .getCodeSource()
            .getLocation()
            .toURI());
  }

  /**
   * A Maven repository on 127.0.0.1 that answers every request with {@code body}; counts the
   * requests.
   */
  record Repo(HttpServer server, AtomicInteger hits) implements AutoCloseable {
    static Repo serving(Supplier<byte[]> body) throws Exception {
      AtomicInteger hits = new AtomicInteger();
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      server.createContext(
          "/maven2/",
          ex -> {
            hits.incrementAndGet();
            if (!ex.getRequestURI().getPath().equals("/maven2/" + DuckDb.REPO_PATH)) {
              ex.sendResponseHeaders(404, -1);
              ex.close();
              return;
            }
            byte[] b = body.get();
            ex.sendResponseHeaders(200, b.length);
            try (OutputStream out = ex.getResponseBody()) {
              out.write(b);
            }
          });
      server.start();
      return new Repo(server, hits);
    }

    URI uri() {
      return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/maven2/");
    }

    @Override
    public void close() {
      server.stop(0);
    }
  }

  @Test
  void fetchesThePinnedJarOnceIntoTheLocalRepositoryAndLoadsIt() throws Exception {
    byte[] jar = Files.readAllBytes(publishedJar());
    Path local = dir.resolve("repo");
    List<String> notices = new CopyOnWriteArrayList<>();
    try (Repo repo = Repo.serving(() -> jar)) {
      Driver d = DuckDb.loadFromRepository(local, repo.uri(), notices::add);
      assertEquals(1, repo.hits().get());
      assertEquals(1, notices.size(), notices.toString());
      assertTrue(
          notices.get(0).contains("fetching DuckDB") && notices.get(0).contains("once"),
          notices.get(0));
      assertTrue(Files.isRegularFile(local.resolve(DuckDb.REPO_PATH)));
      assertNotSame(
          Class.forName("org.duckdb.DuckDBDriver"),
          d.getClass(),
          "its own class loader, not the class path");
      try (Connection c = d.connect("jdbc:duckdb:", new Properties());
          ResultSet rs = c.createStatement().executeQuery("SELECT 40 + 2")) {
        assertTrue(rs.next());
        assertEquals(42, rs.getInt(1));
      }

      DuckDb.loadFromRepository(local, repo.uri(), notices::add);
      assertEquals(1, repo.hits().get(), "the second load finds the jar in the local repository");
      assertEquals(1, notices.size());
    }
  }

  @Test
  void refusesADownloadWhoseChecksumDiffersAndKeepsNothing() throws Exception {
    Path local = dir.resolve("repo");
    try (Repo repo = Repo.serving(() -> new byte[1 << 20])) {
      IllegalStateException e =
          assertThrows(
              IllegalStateException.class,
              () -> DuckDb.loadFromRepository(local, repo.uri(), n -> {}));
      assertTrue(
          e.getMessage().contains("SHA-256")
              && e.getMessage().contains("duckdb_jdbc:" + DuckDb.VERSION),
          e.getMessage());
      assertTrue(
          e.getMessage().contains("use .jsonl or .csv"), "says what to do: " + e.getMessage());
    }
    assertFalse(Files.exists(local.resolve(DuckDb.REPO_PATH)));
    try (Stream<Path> left = Files.walk(local)) {
      assertEquals(
          List.of(), left.filter(Files::isRegularFile).toList(), "no partial download left behind");
    }
  }

  @Test
  void aJarInTheLocalRepositoryThatIsNotThePublishedOneIsRefused() throws Exception {
    Path local = dir.resolve("repo");
    Files.createDirectories(local.resolve(DuckDb.REPO_PATH).getParent());
    Files.write(local.resolve(DuckDb.REPO_PATH), new byte[] {1, 2, 3});
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> DuckDb.loadFromRepository(local, URI.create("http://127.0.0.1:9/"), n -> {}));
    assertTrue(
        e.getMessage().contains("SHA-256 differs") && e.getMessage().contains("delete it"),
        e.getMessage());
  }
}
