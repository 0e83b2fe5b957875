package dev.gkr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gkr.sim.SimPart;
import dev.gkr.sim.Simulator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

/** {@code LocalFiles.filesDir}: relative {@code files} are read from it and shown as written. */
class FilesDirTest {
  @TempDir Path dir;

  @Test
  void relativeFilesAreReadFromFilesDirAndKeptAsWrittenInTheResults() throws Exception {
    Files.createDirectories(dir.resolve("images"));
    Files.writeString(dir.resolve("images/a.txt"), "first note", StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("images/b.txt"), "the second note", StandardCharsets.UTF_8);
    try (Simulator sim = Simulator.builder().start()) {
      Table t =
          Rotator.keys("files-dir-key-0001")
              .baseUrl(sim.baseUrl())
              .files(LocalFiles.in(dir))
              .run(
                  List.of(
                      Map.of("id", "t1", "prompt", "Read", "files", "images/a.txt;images/b.txt"),
                      Map.of("id", "t2", "prompt", "Read one", "files", "[\"images/b.txt\"]")));
      assertEquals(2, t.booleanColumn("success").countTrue(), t.print());
      assertEquals(
          List.of("images/a.txt;images/b.txt", "[\"images/b.txt\"]"),
          t.stringColumn("files").asList());
      List<Long> sizes =
          sim.requests().stream()
              .filter(r -> r.prompt().equals("Read"))
              .flatMap(r -> r.parts().stream())
              .map(SimPart::bytes)
              .toList();
      assertEquals(List.of(10L, 15L), sizes);
    }
  }

  @Test
  void filesDirMustBeAnExistingDirectory() throws Exception {
    Path file = Files.writeString(dir.resolve("tasks.csv"), "prompt\nhi\n");
    var e = assertThrows(IllegalArgumentException.class, () -> LocalFiles.in(file));
    assertTrue(
        e.getMessage().contains("filesDir must be a directory, was " + file), e.getMessage());
  }
}
