package dev.gkr.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gkr.sim.Simulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No way to Gemini on the command line: the run stops early with exit 5, naming the cause and what
 * to check, instead of waiting --max-wait and calling it a storm.
 */
class NetworkCliTest {
  @TempDir Path dir;

  @Test
  void aClosedPortEndsTheRunWithExit5NamingTheCause_issue25() throws Exception {
    int port;
    try (Simulator closed = Simulator.builder().start()) {
      port = closed.port();
    }
    Path keys = dir.resolve("keys.txt");
    Files.writeString(keys, "net25-key-0001\nnet25-key-0002\n");
    Files.setPosixFilePermissions(keys, PosixFilePermissions.fromString("rw-------"));
    Path tasks = dir.resolve("t.txt");
    Files.writeString(tasks, "one\ntwo\nthree\nfour\nfive\nsix\n");
    long start = System.nanoTime();
    InProcessGkr r =
        InProcessGkr.run(
            Map.of(),
            "",
            "--keys-file",
            keys.toString(),
            "--base-url",
            "http://127.0.0.1:" + port,
            "--max-wait",
            "10s",
            "--quiet",
            tasks.toString());
    assertEquals(5, r.code(), r.err());
    assertTrue(r.err().contains("Gemini cannot be reached"), r.err());
    assertTrue(r.err().contains("connection refused: Failed to connect to"), r.err());
    assertTrue(r.err().contains("6 tasks were not done (error_type connection)"), r.err());
    assertTrue(r.err().contains("--base-url"), r.err());
    assertFalse(r.err().contains("GenAiIOException"), r.err());
    assertFalse(r.err().contains("overloaded"), r.err());
    assertTrue(System.nanoTime() - start < 9_000_000_000L, "stopped before --max-wait: " + r.err());
    String errors = Files.readString(dir.resolve("t.txt.errors.log"));
    assertTrue(errors.contains("connection refused"), errors);
  }
}
