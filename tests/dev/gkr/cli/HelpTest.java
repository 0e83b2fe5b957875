package dev.gkr.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Help prints every option and nothing on stderr: picocli warns there about a bad format in a
 * description.
 */
class HelpTest {
  @TempDir Path dir;

  @Test
  void helpOfEveryCommandPrintsNothingOnStderr() throws Exception {
    for (String[] args : new String[][] {{"--help"}, {"plan", "--help"}, {"simulator", "--help"}}) {
      GkrProcess p = GkrProcess.run(dir, Map.of(), args);
      assertEquals(0, p.code(), String.join(" ", args) + ": " + p.err());
      assertEquals("", p.err(), String.join(" ", args));
      assertTrue(p.out().contains("Usage:"), p.out());
    }
  }
}
