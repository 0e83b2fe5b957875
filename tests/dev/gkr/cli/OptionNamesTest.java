package dev.gkr.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line names options, never Java names; the library names methods. */
class OptionNamesTest {
  @TempDir Path dir;

  @Test
  void libraryMessagesNameTheOptionOnTheCommandLine_issue25() {
    assertEquals(
        "--max-cost must be a positive number of USD, was -1.0",
        OptionNames.of("maxCost must be a positive number of USD, was -1.0"));
    assertEquals("--slots must be >= 1, was 0", OptionNames.of("slots must be >= 1, was 0"));
    assertEquals(
        "no limits declared (--rpm/--tpm/--rpd): the real quota may be lower",
        OptionNames.of("no limits declared (limits(...)): the real quota may be lower"));
    assertEquals("add the model with --prices", OptionNames.of("add the model with prices(...)"));
    assertEquals("use --safety", OptionNames.of("use --safety / .safety(...)"));
    assertEquals(
        "the model must answer usageMetadata",
        OptionNames.of("the model must answer usageMetadata"));
  }

  @Test
  void theCommandNamesOptionsInItsRefusals_issue25() throws Exception {
    Path t = Files.writeString(dir.resolve("t.txt"), "hello\n");
    Map<String, String> cases =
        Map.of(
            "--temperature=3", "gkr: --temperature must be in 0..2, was 3.0",
            "--slots=0", "gkr: --slots must be >= 1, was 0",
            "--max-cost=-1", "gkr: --max-cost must be a positive number of USD, was -1.0",
            "--max-output-tokens=0", "gkr: --max-output-tokens must be >= 1, was 0");
    for (var c : cases.entrySet()) {
      InProcessGkr r = InProcessGkr.run("--simulate", "--quiet", c.getKey(), t.toString());
      assertEquals(2, r.code(), r.err());
      assertEquals(c.getValue(), r.err().strip(), c.getKey());
    }
    GkrProcess plan =
        GkrProcess.run(dir, Map.of("GEMINI_API_KEYS", "plan-key-0001"), "plan", t.toString());
    assertTrue(plan.out().contains("no limits declared (--rpm/--tpm/--rpd)"), plan.out());
    assertFalse(plan.out().contains("(...)"), plan.out());
  }
}
