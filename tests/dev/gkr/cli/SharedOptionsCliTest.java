package dev.gkr.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gkr.Task;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code gkr} and {@code gkr plan} share (issue 15): the keys, pacing and limit options are
 * declared once (picocli mixins), so both commands read them alike; and every tasks format applies
 * the same row rules (prompt, id, task fields).
 */
class SharedOptionsCliTest {
  private static final InputStream NO_STDIN = new ByteArrayInputStream(new byte[0]);

  @TempDir Path dir;

  @Test
  void planGroupsTheKeysFilesProjectsAndAppliesTheDeclaredLimits() throws Exception {
    Files.writeString(dir.resolve("prompts.txt"), "a\nb\nc\nd\n");
    keysFile("k-0001 project=p1\nk-0002 project=p1\nk-0003\n");
    GkrProcess plan =
        GkrProcess.run(
            dir, Map.of(), "plan", "prompts.txt", "--keys-file", "keys.txt", "--rpm", "10");
    assertEquals(0, plan.code(), plan.err());
    assertTrue(plan.out().contains("4 tasks over 3 keys in 2 projects, 3 slots"), plan.out());
    assertTrue(
        plan.out().contains("each of the 2 projects has the declared quota: 10 per minute"),
        plan.out());
  }

  @Test
  void limitsMayNameTheirModel_issue26() throws Exception {
    Files.writeString(dir.resolve("prompts.txt"), "a\nb\n");
    keysFile("k-0001 project=p1\n");
    GkrProcess plan =
        GkrProcess.run(
            dir,
            Map.of(),
            "plan",
            "prompts.txt",
            "--keys-file",
            "keys.txt",
            "--model",
            "gemini-2.5-pro",
            "--rpm",
            "1000,150@gemini-2.5-pro",
            "--rpd",
            "2000@gemini-2.5-pro",
            "--rpm",
            "600@gemini-2.5-flash");
    assertEquals(0, plan.code(), plan.err());
    assertTrue(
        plan.out()
            .contains(
                "the project has the declared quota: 1000 per minute; gemini-2.5-flash: 600 per"
                    + " minute; gemini-2.5-pro: 150 per minute, 2000 per day"),
        plan.out());
    // The plan's rate is the run's model's: 150 per minute at 95 %.
    assertTrue(plan.out().contains("142.5"), plan.out());
  }

  @Test
  void badPaceAndLimitOptionsAreRefusedAlikeByTheRunAndThePlan() throws Exception {
    Files.writeString(dir.resolve("prompts.txt"), "a\nb\n");
    keysFile("k-0001\n");
    Map<List<String>, String> cases =
        Map.of(
            List.of("--rpm", "0"), "--rpm: '0' must be >= 1",
            List.of("--tpm", "-5"), "--tpm: '-5' must be >= 1",
            List.of("--rpm", "10@"), "--rpm: '10@' names no model after @",
            List.of("--rpd", "many@gemini-2.5-pro"),
                "--rpd: 'many@gemini-2.5-pro' is not N or N@MODEL",
            List.of("--rpm", "10,20"), "--rpm: a plain value is given twice",
            List.of("--every", "5x"), "--every: must look like 12s",
            List.of("--slots", "0"), "--slots must be >= 1, was 0");
    for (var c : cases.entrySet()) {
      List<List<String>> commands =
          List.of(
              List.of("plan", "prompts.txt", "--keys-file", "keys.txt"),
              List.of("prompts.txt", "--simulate", "--quiet"));
      for (List<String> command : commands) {
        List<String> args = new java.util.ArrayList<>(command);
        args.addAll(c.getKey());
        GkrProcess p = GkrProcess.run(dir, Map.of(), args.toArray(String[]::new));
        assertEquals(2, p.code(), args + ": " + p.err());
        assertTrue(p.err().contains(c.getValue()), args + ": " + p.err());
        assertEquals("", p.out(), args + ": nothing ran");
      }
    }
  }

  @Test
  void jsonLinesRowsFollowTheSameRulesAsCsvRows() throws Exception {
    Path numbered = write("n.jsonl", "{\"prompt\":\"a\",\"id\":\" \"}\n\n{\"prompt\":\"b\"}\n");
    List<Task> tasks = TaskFiles.read(numbered.toString(), NO_STDIN);
    assertEquals(List.of("1", "2"), tasks.stream().map(Task::id).toList());

    Path csv = write("n.csv", "id,prompt,topic\n  7 ,a,x\n,b,y\n");
    tasks = TaskFiles.read(csv.toString(), NO_STDIN);
    assertEquals(List.of("7", "2"), tasks.stream().map(Task::id).toList());
    assertEquals(Map.of("topic", "y"), tasks.get(1).metadata());

    Path repeated =
        write("r.jsonl", "{\"prompt\":\"a\",\"id\":\"x\"}\n\n{\"prompt\":\"b\",\"id\":\"x\"}\n");
    assertEquals(
        repeated + " line 3: field 'id' repeats 'x' from line 1",
        assertThrows(InputException.class, () -> TaskFiles.read(repeated.toString(), NO_STDIN))
            .getMessage());

    Path blank = write("b.jsonl", "{\"prompt\":\"a\"}\n{\"prompt\":\"  \"}\n");
    assertEquals(
        blank + " line 2: field 'prompt' is empty",
        assertThrows(InputException.class, () -> TaskFiles.read(blank.toString(), NO_STDIN))
            .getMessage());

    Path badConfig = write("c.csv", "prompt,config\na,{}\nb,[1]\n");
    assertTrue(
        assertThrows(InputException.class, () -> TaskFiles.read(badConfig.toString(), NO_STDIN))
            .getMessage()
            .startsWith(badConfig + " line 3, field 'config': expected a JSON object"));
  }

  private void keysFile(String text) throws Exception {
    Files.setPosixFilePermissions(
        write("keys.txt", text), PosixFilePermissions.fromString("rw-------"));
  }

  private Path write(String name, String text) throws Exception {
    return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
  }
}
