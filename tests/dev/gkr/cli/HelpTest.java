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

  @Test
  void helpGroupsOptionsUnderHeadingsWithOnePlaceholderStyle_issue25() throws Exception {
    GkrProcess p = GkrProcess.run(dir, Map.of(), "--help");
    String help = p.out();
    assertTrue(help.startsWith("Usage: gkr [OPTIONS] TASKS"), help);
    for (String heading :
        new String[] {
          "Tasks and output:",
          "Keys and pace:",
          "Request:",
          "JSON:",
          "Cost and Batch Mode:",
          "Run control:"
        }) assertTrue(help.contains("\n" + heading + "\n"), heading + " in\n" + help);
    assertTrue(!help.matches("(?s).*--[a-z-]+=<.*"), "no <camelCase> placeholders:\n" + help);
    assertTrue(help.contains("--max-retries=N") && help.contains("--every=D"), help);
    GkrProcess plan = GkrProcess.run(dir, Map.of(), "plan", "--help");
    assertTrue(plan.out().contains(".json, .parquet"), plan.out());
    assertTrue(plan.out().contains("Run control:"), plan.out());
  }
}
