package dev.gkr.internal.table;

import dev.gkr.internal.common.Sha256;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * DuckDB's JDBC driver, gkr's Parquet engine, loaded only when a Parquet file is read or written.
 *
 * <p>Why so: DuckDB was the lightest complete option measured (one jar, no transitive dependencies,
 * every Parquet codec pandas, Polars and Spark write), but that jar is 77 MiB, more than all of
 * gkr's other dependencies together (65 MiB), so a {@code //DEPS} line would make every user
 * download it. Instead the driver is taken from the class path when there (Maven users who add
 * {@code org.duckdb:duckdb_jdbc}), else from the local Maven repository, else fetched once from
 * Maven Central into that repository and checked against a pinned SHA-256. It is used through plain
 * {@code java.sql} interfaces, so gkr compiles without it.
 */
public final class DuckDb {
  static final String VERSION = "2.0.0.1";
  static final String SHA256 = "6cb8b0e0fc51b2e45aead2d2c1e1fd09dd10267db2966e69aaab0de67319f826";
  static final String REPO_PATH =
      "org/duckdb/duckdb_jdbc/" + VERSION + "/duckdb_jdbc-" + VERSION + ".jar";
  static final String CENTRAL = "https://repo.maven.apache.org/maven2/";
  private static final String DRIVER = "org.duckdb.DuckDBDriver";
  private static final ReentrantLock LOCK = new ReentrantLock();
  private static volatile Driver driver;

  private DuckDb() {}

  /**
   * An in-memory DuckDB connection; the driver is loaded (and fetched, with a notice) on first use.
   */
  static Connection connect(Consumer<String> notices) throws SQLException {
    return driver(notices).connect("jdbc:duckdb:", new Properties());
  }

  public static Driver driver(Consumer<String> notices) {
    Driver d = driver;
    if (d != null) return d;
    LOCK.lock();
    try {
      if (driver == null) driver = load(localRepository(), remoteRepository(), notices);
      return driver;
    } finally {
      LOCK.unlock();
    }
  }

  /**
   * Maven's local repository: {@code -Dmaven.repo.local}, else {@code ~/.m2/repository} (where
   * JBang looks too).
   */
  static Path localRepository() {
    String local = System.getProperty("maven.repo.local");
    return local != null && !local.isBlank()
        ? Path.of(local)
        : Path.of(System.getProperty("user.home"), ".m2", "repository");
  }

  /** Maven Central, or a mirror named by {@code GKR_MAVEN_REPOSITORY}. */
  static URI remoteRepository() {
    String mirror = System.getenv("GKR_MAVEN_REPOSITORY");
    String base = mirror != null && !mirror.isBlank() ? mirror : CENTRAL;
    return URI.create(base.endsWith("/") ? base : base + "/");
  }

  static Driver load(Path localRepo, URI remote, Consumer<String> notices) {
    try {
      return (Driver)
          Class.forName(DRIVER, true, DuckDb.class.getClassLoader())
              .getDeclaredConstructor()
              .newInstance();
    } catch (ClassNotFoundException e) {
      return loadFromRepository(localRepo, remote, notices);
    } catch (ReflectiveOperationException | LinkageError e) {
      throw new IllegalStateException(
          "DuckDB's JDBC driver is on the class path but does not load: " + e, e);
    }
  }

  /** The pinned jar from the local repository, fetched into it first if it is not there. */
  static Driver loadFromRepository(Path localRepo, URI remote, Consumer<String> notices) {
    Path jar = localRepo.resolve(REPO_PATH);
    try {
      if (!Files.isRegularFile(jar)) fetch(remote.resolve(REPO_PATH), jar, notices);
      else if (!sha256(jar).equals(SHA256))
        throw new IOException(
            jar + " is not the published jar (SHA-256 differs); delete it to fetch it again");
      URLClassLoader loader =
          new URLClassLoader(new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
      return (Driver) Class.forName(DRIVER, true, loader).getDeclaredConstructor().newInstance();
    } catch (IOException | ReflectiveOperationException | LinkageError e) {
      throw new IllegalStateException(
          "Parquet needs DuckDB's JDBC driver (org.duckdb:duckdb_jdbc:"
              + VERSION
              + "), which is not on the"
              + " class path nor in "
              + localRepo
              + ", and could not be fetched from "
              + remote
              + " ("
              + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())
              + ")."
              + " Add that dependency, or use .jsonl or .csv",
          e);
    }
  }

  /**
   * Downloads to a temporary file beside the target and moves it in place only when its SHA-256
   * matches.
   */
  private static void fetch(URI from, Path jar, Consumer<String> notices) throws IOException {
    notices.accept(
        "fetching DuckDB's JDBC driver "
            + VERSION
            + " for Parquet (77 MiB, once) from "
            + from.getHost()
            + " into "
            + jar.getParent());
    Files.createDirectories(jar.getParent());
    Path tmp = Files.createTempFile(jar.getParent(), ".duckdb_jdbc-", ".part");
    try {
      HttpClient http =
          HttpClient.newBuilder()
              .connectTimeout(Duration.ofSeconds(20))
              .followRedirects(HttpClient.Redirect.NORMAL)
              .build();
      HttpResponse<InputStream> r =
          http.send(
              HttpRequest.newBuilder(from).timeout(Duration.ofMinutes(10)).GET().build(),
              HttpResponse.BodyHandlers.ofInputStream());
      MessageDigest sha = Sha256.digest();
      try (InputStream in = new DigestInputStream(r.body(), sha);
          OutputStream out = Files.newOutputStream(tmp)) {
        if (r.statusCode() != 200) throw new IOException("HTTP " + r.statusCode() + " for " + from);
        in.transferTo(out);
      }
      String got = Sha256.hex(sha);
      if (!got.equals(SHA256))
        throw new IOException("the download's SHA-256 is " + got + ", expected " + SHA256);
      try {
        Files.setPosixFilePermissions(
            tmp,
            java.nio.file.attribute.PosixFilePermissions.fromString(
                "rw-r--r--")); // as Maven leaves its jars
      } catch (UnsupportedOperationException e) {
        // not a POSIX file system
      }
      Files.move(tmp, jar, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static String sha256(Path file) throws IOException {
    MessageDigest sha = Sha256.digest();
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), sha)) {
      in.transferTo(OutputStream.nullOutputStream());
    }
    return Sha256.hex(sha);
  }
}
