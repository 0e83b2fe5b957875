package dev.gkr.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gkr.sim.Simulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 17 on the command line: --max-wait, and a model that does not exist. */
class ThrottlingCliTest {
  @TempDir Path dir;

  private InProcessGkr gkr(String... args) {
    return InProcessGkr.run(Map.of(), "", args);
  }

  private Path keys() throws Exception {
    Path p = dir.resolve("keys.txt");
    Files.writeString(p, "cli17-key-0001\ncli17-key-0002\n");
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-------"));
    return p;
  }

  @Test
  void missingModelStopsTheRunWithOneMessageAndExit2_issue17() throws Exception {
    try (Simulator sim = Simulator.builder().missingModel("gemini-0-retired").start()) {
      Path tasks = dir.resolve("t.txt");
      Files.writeString(tasks, "one\ntwo\nthree\nfour\nfive\nsix\nseven\neight\n");
      InProcessGkr r =
          gkr(
              "--keys-file",
              keys().toString(),
              "--base-url",
              sim.baseUrl(),
              "--model",
              "gemini-0-retired",
              "--quiet",
              tasks.toString());
      assertEquals(2, r.code(), r.err());
      assertEquals(1, r.err().split("was not found", -1).length - 1, "reported once: " + r.err());
      assertTrue(
          r.err().contains("gkr: model gemini-0-retired was not found (404 NOT_FOUND"), r.err());
      assertTrue(
          r.err()
              .contains(
                  "8 tasks were not done; fix --model (or --base-url) and run the same command again to resume"),
          r.err());
      assertTrue(
          sim.requests().size() <= 2, "one request per slot at most: " + sim.requests().size());
    }
  }

  @Test
  void badMaxWaitIsAUsageErrorNamingTheOption_issue17() throws Exception {
    Path tasks = dir.resolve("t.txt");
    Files.writeString(tasks, "one\n");
    InProcessGkr r = gkr("--simulate", "--quiet", "--max-wait", "soon", tasks.toString());
    assertEquals(2, r.code());
    assertEquals(
        "gkr: --max-wait: must look like 12s, 500ms, 1m or 2h, was 'soon'", r.err().strip());
  }
}
