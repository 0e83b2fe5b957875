package dev.gkr;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gkr.sim.Simulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

/**
 * Issue 31 in Java: a task's local files stay inside {@link LocalFiles#filesDir} (or {@code
 * filesRoot}), and no base URL sends a key in clear text unless {@link BaseUrlOption#INSECURE}.
 */
class FilesAndBaseUrlRulesTest {
  @TempDir Path dir;

  private Path data() throws Exception {
    Path data = Files.createDirectories(dir.resolve("data"));
    Files.writeString(data.resolve("inside.txt"), "a note inside");
    Files.writeString(dir.resolve("secret.txt"), "AWS_SECRET=do-not-send");
    return data;
  }

  private static List<Map<String, Object>> tasks(String files) {
    return List.of(
        Map.of("id", "ok", "prompt", "Read", "files", "inside.txt"),
        Map.of("id", "q1", "prompt", "Summarise this file", "files", files));
  }

  private static void assertRefused(Simulator sim, Rotator r, String files) {
    var e = assertThrows(IllegalArgumentException.class, () -> r.run(tasks(files)));
    assertTrue(
        e.getMessage().startsWith("task 2 (id q1): files: " + files + " is outside"),
        e.getMessage());
    assertTrue(e.getMessage().contains("filesRoot"), "says what to do: " + e.getMessage());
    assertEquals(0, sim.requests().size(), "nothing sent, not even the good task");
  }

  @Test
  void filesOutsideTheFilesFolderAreRefusedBeforeAnyRequest_issue31() throws Exception {
    Path data = data();
    Files.createSymbolicLink(data.resolve("link.txt"), dir.resolve("secret.txt"));
    Files.createSymbolicLink(data.resolve("up"), dir);
    try (Simulator sim = Simulator.builder().start()) {
      Rotator r = Rotator.keys("rules-key-0001").baseUrl(sim.baseUrl()).files(LocalFiles.in(data));
      assertRefused(sim, r, "/etc/passwd");
      assertRefused(sim, r, "../secret.txt");
      assertRefused(sim, r, dir.resolve("secret.txt").toString());
      assertRefused(sim, r, "link.txt");
      assertRefused(sim, r, "up/secret.txt");
      assertRefused(sim, r, "up/data/../missing.txt");
    }
  }

  @Test
  void theDefaultFilesFolderIsTheWorkingDirectory_issue31() throws Exception {
    data();
    try (Simulator sim = Simulator.builder().start()) {
      Rotator r = Rotator.keys("rules-key-0001").baseUrl(sim.baseUrl());
      var e =
          assertThrows(
              IllegalArgumentException.class,
              () ->
                  r.run(
                      List.of(
                          Map.of("prompt", "x", "files", dir.resolve("secret.txt").toString()))));
      assertTrue(
          e.getMessage().contains("outside the files folder " + Path.of("").toAbsolutePath()),
          e.getMessage());
      assertEquals(0, sim.requests().size());
    }
  }

  @Test
  void filesRootAllowsOneMoreFolderAndSlashAllowsAll_issue31() throws Exception {
    Path data = data();
    try (Simulator sim = Simulator.builder().start()) {
      Table t =
          Rotator.keys("rules-key-0001")
              .baseUrl(sim.baseUrl())
              .files(LocalFiles.builder().filesDir(data).filesRoot(dir).build())
              .run(tasks("../secret.txt"));
      assertEquals(2, t.booleanColumn("success").countTrue(), t.print());
      Table all =
          Rotator.keys("rules-key-0001")
              .baseUrl(sim.baseUrl())
              .files(LocalFiles.builder().filesDir(data).filesRoot(Path.of("/")).build())
              .run(tasks(dir.resolve("secret.txt").toString()));
      assertEquals(2, all.booleanColumn("success").countTrue(), all.print());
      assertEquals(4, sim.requests().size());
    }
  }

  @Test
  void localFilesChecksItsFoldersAtOnce_issue31() throws Exception {
    Path file = Files.writeString(dir.resolve("f.txt"), "x");
    var e =
        assertThrows(IllegalArgumentException.class, () -> LocalFiles.builder().filesRoot(file));
    assertEquals("filesRoot must be a directory, was " + file, e.getMessage());
    assertEquals(
        Optional.of(dir.toAbsolutePath()), LocalFiles.builder().filesRoot(dir).build().filesRoot());
  }

  @Test
  void plainHttpIsAllowedOnlyToThisMachine_issue31() {
    Rotator r = Rotator.keys("rules-key-0001");
    for (String ok :
        List.of(
            "https://generativelanguage.googleapis.com",
            "https://10.0.0.1/",
            "http://127.0.0.1:8080",
            "http://127.3.4.5/",
            "http://localhost:9",
            "http://LOCALHOST/",
            "http://[::1]:8080/")) assertDoesNotThrow(() -> r.baseUrl(ok), ok);
    for (String bad :
        List.of(
            "http://10.0.0.1/",
            "http://example.com",
            "http://127.0.0.1.example.com/",
            "http://127.0.0.1@example.com/",
            "http://[::2]/",
            "http://128.0.0.1/")) {
      var e = assertThrows(IllegalArgumentException.class, () -> r.baseUrl(bad), bad);
      String shown = bad.replace("127.0.0.1@", ""); // user info is never shown
      assertTrue(e.getMessage().startsWith("baseUrl " + shown + ": "), e.getMessage());
      assertTrue(e.getMessage().contains("BaseUrlOption.INSECURE"), e.getMessage());
    }
    assertThrows(IllegalArgumentException.class, () -> r.baseUrl("http://999.0.0.1/"));
    // the guard on every hop sees hosts as OkHttp gives them: IPv6 without brackets
    assertTrue(dev.gkr.internal.common.BaseUrls.isLoopback("::1"));
    assertTrue(!dev.gkr.internal.common.BaseUrls.isLoopback("::2"));
    var withSecrets =
        assertThrows(
            IllegalArgumentException.class,
            () -> r.baseUrl("http://user:hunter2@10.0.0.1:8080/v?key=AIzaSecret"));
    assertEquals(
        "baseUrl http://10.0.0.1:8080/v: ",
        withSecrets.getMessage().substring(0, "baseUrl http://10.0.0.1:8080/v: ".length()));
    assertTrue(
        !withSecrets.getMessage().contains("hunter2")
            && !withSecrets.getMessage().contains("AIzaSecret"),
        withSecrets.getMessage());
    assertDoesNotThrow(() -> r.baseUrl("http://10.0.0.1/", BaseUrlOption.INSECURE));
  }

  @Test
  void insecureSendsThroughAndTheRefusalSendsNothing_issue31() throws Exception {
    try (Simulator sim = Simulator.builder().start()) {
      Optional<Forwarder> lan = Forwarder.toLoopbackPort(sim.port());
      assumeTrue(lan.isPresent(), "no non-loopback IPv4 address here");
      try (Forwarder f = lan.get()) {
        Rotator r = Rotator.keys("rules-key-0001");
        assertThrows(IllegalArgumentException.class, () -> r.baseUrl(f.baseUrl()));
        assertEquals(0, sim.requests().size());
        Table t = r.baseUrl(f.baseUrl(), BaseUrlOption.INSECURE).run(List.of("hello"));
        assertTrue(t.booleanColumn("success").get(0), t.print());
        assertEquals(1, sim.requests().size());
      }
    }
  }

  /**
   * An allowed endpoint (here a loopback one) that answers with a redirect to plain HTTP elsewhere
   * must not get the key sent there: OkHttp would follow a 307 with the request's headers, the key
   * among them.
   */
  @Test
  void aRedirectCannotCarryTheKeyElsewhere_issue31() throws Exception {
    try (Simulator sim = Simulator.builder().start()) {
      Optional<Forwarder> lan = Forwarder.toLoopbackPort(sim.port());
      assumeTrue(lan.isPresent(), "no non-loopback IPv4 address here");
      var redirector =
          com.sun.net.httpserver.HttpServer.create(
              new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
      try (Forwarder f = lan.get()) {
        redirector.createContext(
            "/",
            x -> {
              x.getRequestBody().readAllBytes();
              x.getResponseHeaders().add("Location", f.baseUrl() + x.getRequestURI());
              x.sendResponseHeaders(307, -1);
              x.close();
            });
        redirector.start();
        Table t =
            Rotator.keys("rules-key-0001")
                .baseUrl("http://127.0.0.1:" + redirector.getAddress().getPort())
                .retries(Retries.builder().maxRetries(0).transientRetries(0).maxWait("1s").build())
                .run(List.of("hello"));
        assertEquals(0, t.booleanColumn("success").countTrue(), t.print());
        assertEquals(0, sim.requests().size(), "the redirect was not followed");
      } finally {
        redirector.stop(0);
      }
    }
  }

  @Test
  void theBaseUrlVariableFollowsTheSameRule_issue31() {
    var settings = TestHooks.settings(Rotator.keys("rules-key-0001"));
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () -> settings.endpoint(Map.of("GOOGLE_GEMINI_BASE_URL", "http://10.0.0.1/")));
    assertTrue(
        e.getMessage().startsWith("GOOGLE_GEMINI_BASE_URL http://10.0.0.1/: "), e.getMessage());
    assertEquals(
        Optional.of("http://127.0.0.1:9"),
        settings.endpoint(Map.of("GOOGLE_GEMINI_BASE_URL", "http://127.0.0.1:9")));
    assertEquals(Optional.empty(), settings.endpoint(Map.of()));
  }
}
