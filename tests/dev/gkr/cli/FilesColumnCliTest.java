package dev.gkr.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gkr.sim.SimPart;
import dev.gkr.sim.Simulator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.Table;
import tech.tablesaw.io.csv.CsvReadOptions;

/**
 * A tasks file with a {@code files} column outside the working directory: the files are read
 * relative to the tasks file, the results show the column as the user wrote it, and a rerun from
 * the tasks file's own directory resumes from the same checkpoint.
 */
class FilesColumnCliTest {
  @TempDir Path dir;

  private static final String TASKS =
      "id,prompt,files\nt1,Read,images/a.txt;images/b.txt\nt2,Read one,\"[\"\"images/b.txt\"\"]\"\n";

  private Path keys() throws Exception {
    Path keys = dir.resolve("keys.txt");
    if (!Files.exists(keys)) {
      Files.writeString(keys, "files-column-key-0001\n");
      Files.setPosixFilePermissions(keys, PosixFilePermissions.fromString("rw-------"));
    }
    return keys;
  }

  private Path job() throws Exception {
    Path job = dir.resolve("job");
    Files.createDirectories(job.resolve("images"));
    Files.writeString(job.resolve("images/a.txt"), "first note", StandardCharsets.UTF_8);
    Files.writeString(job.resolve("images/b.txt"), "the second note", StandardCharsets.UTF_8);
    Files.writeString(job.resolve("tasks.csv"), TASKS, StandardCharsets.UTF_8);
    return job;
  }

  /** {@code gkr --quiet --keys-file K --base-url SIM tasks}, in-process. */
  private InProcessGkr quietRun(Simulator sim, String tasks) throws Exception {
    return InProcessGkr.run(
        "--quiet", "--keys-file", keys().toString(), "--base-url", sim.baseUrl(), tasks);
  }

  private static void assertFilesAsWritten(Path results) throws Exception {
    Table t =
        Table.read()
            .csv(
                CsvReadOptions.builder(results.toFile())
                    .columnTypesToDetect(List.of(ColumnType.STRING)));
    assertEquals(
        List.of("images/a.txt;images/b.txt", "[\"images/b.txt\"]"),
        t.stringColumn("files").asList(),
        "the files column as the user wrote it");
  }

  @Test
  void filesColumnShowsTheUsersValueWhileFilesAreReadBesideTheTasksFile() throws Exception {
    Path job = job();
    assertFalse(job.equals(Path.of("").toAbsolutePath()));
    try (Simulator sim = Simulator.builder().start()) {
      InProcessGkr run = quietRun(sim, job.resolve("tasks.csv").toString());
      assertEquals(0, run.code(), run.err());
      assertFilesAsWritten(job.resolve("tasks.results.csv"));
      List<Long> sizes =
          sim.requests().stream()
              .filter(r -> r.prompt().equals("Read"))
              .flatMap(r -> r.parts().stream())
              .map(SimPart::bytes)
              .toList();
      assertEquals(List.of(10L, 15L), sizes, "both files sent, read beside the tasks file");
    }
  }

  @Test
  void aRerunFromTheTasksFilesDirectoryResumesFromTheSameCheckpoint() throws Exception {
    Path job = job();
    try (Simulator sim = Simulator.builder().start()) {
      List<String> common =
          List.of("--quiet", "--keys-file", keys().toString(), "--base-url", sim.baseUrl());
      List<String> first = new java.util.ArrayList<>(common);
      first.add(job.resolve("tasks.csv").toString());
      InProcessGkr r = InProcessGkr.run(first.toArray(String[]::new));
      assertEquals(0, r.code(), r.err());
      assertEquals(2, sim.requests().size());
      Files.delete(job.resolve("tasks.results.csv"));

      // the same tasks file, now named from its own directory by a user in another shell
      List<String> args = new java.util.ArrayList<>(common);
      args.add("tasks.csv");
      GkrProcess again = GkrProcess.run(job, Map.of(), args.toArray(String[]::new));
      assertEquals(0, again.code(), again.out() + again.err());
      assertEquals(2, sim.requests().size(), "resumed: no task sent again\n" + again.out());
      assertTrue(again.out().startsWith("completed: 2 tasks, 2 succeeded"), again.out());
      assertFilesAsWritten(job.resolve("tasks.results.csv"));
    }
  }

  @Test
  void aBrokenFilesArrayExits2NamingFileLineAndFieldBeforeAnyRequest() throws Exception {
    Path tasks =
        Files.writeString(
            dir.resolve("broken.csv"),
            "id,prompt,files\nt1,Read,images/a.txt\nt2,Read two,\"[\"\"images/a.txt\"\"\"\n");
    try (Simulator sim = Simulator.builder().start()) {
      InProcessGkr r = quietRun(sim, tasks.toString());
      String message = r.err();
      assertEquals(2, r.code(), message);
      assertTrue(
          message.startsWith(
              "gkr: " + tasks + " line 3, field 'files': not a valid JSON array of paths"),
          message);
      assertEquals(0, sim.requests().size());
    }
  }
}
