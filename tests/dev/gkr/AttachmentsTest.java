package dev.gkr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gkr.sim.Quota;
import dev.gkr.sim.SimFile;
import dev.gkr.sim.SimPart;
import dev.gkr.sim.SimRequest;
import dev.gkr.sim.Simulator;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

/**
 * Issue 16: files with tasks — inline, as URIs, through the Files API once per project, and in the
 * resume hash.
 */
class AttachmentsTest {
  @TempDir Path dir;

  Path png(String name, int rgb) throws Exception {
    BufferedImage img = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
    for (int x = 0; x < 8; x++) for (int y = 0; y < 8; y++) img.setRGB(x, y, rgb + x * y);
    Path p = dir.resolve(name);
    ImageIO.write(img, "png", p.toFile());
    return p;
  }

  Path write(String name, byte[] bytes) throws Exception {
    Path p = dir.resolve(name);
    Files.write(p, bytes);
    return p;
  }

  /** Files are named by absolute paths inside the test's folder: the files folder. */
  Rotator rotator(Simulator sim) {
    return Rotator.keys("files-key-0001").baseUrl(sim.baseUrl()).files(LocalFiles.in(dir));
  }

  @Test
  void smallFilesGoInlineWithTheirTypeAndCountAsTheApiCountsThem() throws Exception {
    Path image = png("photo.png", 0x336699);
    Path disguised = write("really-a-png.jpg", Files.readAllBytes(image));
    Path text = write("notes.txt", "Tides follow the moon.\n".getBytes(StandardCharsets.UTF_8));
    Path pdf =
        write(
            "doc.pdf",
            "%PDF-1.4\n1 0 obj << /Type /Page >> endobj\n2 0 obj << /Type /Page >> endobj\n%%EOF\n"
                .getBytes(StandardCharsets.ISO_8859_1));
    try (Simulator sim = Simulator.builder().start()) {
      Table t =
          rotator(sim)
              .slots(1)
              .run(
                  List.of(
                      Map.of("prompt", "Caption this", "files", image.toString()),
                      Map.of(
                          "prompt", "Both", "files", "[\"" + disguised + "\", \"" + text + "\"]"),
                      Map.of("prompt", "Semicolons", "files", text + ";" + pdf),
                      Map.of(
                          "prompt",
                          "Remote",
                          "files",
                          List.of("gs://bucket/scan.pdf", "https://example.com/a.png"))));
      assertEquals(
          4, t.booleanColumn("success").countTrue(), t.stringColumn("error").asList().toString());
      Map<String, SimRequest> byPrompt =
          sim.requests().stream().collect(Collectors.toMap(SimRequest::prompt, r -> r));
      SimPart img = byPrompt.get("Caption this").parts().get(0);
      assertTrue(img.inline());
      assertEquals("image/png", img.mimeType());
      assertEquals(Files.size(image), img.bytes());
      int textOnly =
          sim.requests().stream().filter(r -> r.prompt().equals("Caption this")).count() == 1
              ? t.intColumn("prompt_tokens").get(0) - 258
              : -1;
      assertTrue(
          textOnly > 0 && textOnly < 10,
          "an image counts 258 tokens: " + t.intColumn("prompt_tokens").get(0));
      assertEquals(
          List.of("image/png", "text/plain"),
          byPrompt.get("Both").parts().stream().map(SimPart::mimeType).toList(),
          "the type comes from the content: a PNG named .jpg is sent as PNG");
      assertEquals("application/pdf", byPrompt.get("Semicolons").parts().get(1).mimeType());
      assertEquals(
          2 * 258,
          byPrompt.get("Semicolons").parts().get(1).tokens(),
          "a PDF counts 258 tokens a page");
      List<SimPart> remote = byPrompt.get("Remote").parts();
      assertEquals("gs://bucket/scan.pdf", remote.get(0).fileUri());
      assertEquals("application/pdf", remote.get(0).mimeType());
      assertEquals("image/png", remote.get(1).mimeType());
      assertTrue(
          t.stringColumn("response").get(0).contains("[files: image/png"),
          t.stringColumn("response").get(0));
    }
  }

  @Test
  void missingUnreadableOrUnsupportedFilesAreInputErrorsBeforeAnyRequest() throws Exception {
    Path garbage = write("blob.bin", new byte[] {0, 1, 2, 3, (byte) 0xFE, 0, 7});
    Path locked = write("locked.txt", "secret".getBytes(StandardCharsets.UTF_8));
    locked.toFile().setReadable(false);
    try (Simulator sim = Simulator.builder().start()) {
      var missing =
          assertThrows(
              IllegalArgumentException.class,
              () ->
                  rotator(sim)
                      .run(
                          List.of(
                              Map.of("prompt", "ok"),
                              Map.of(
                                  "id",
                                  "t2",
                                  "prompt",
                                  "x",
                                  "files",
                                  dir.resolve("nope.png").toString()))));
      assertTrue(
          missing.getMessage().contains("task 2 (id t2)")
              && missing.getMessage().contains("nope.png")
              && missing.getMessage().contains("does not exist"),
          missing.getMessage());
      var unsupported =
          assertThrows(
              IllegalArgumentException.class,
              () -> rotator(sim).run(List.of(Map.of("prompt", "x", "files", garbage.toString()))));
      assertTrue(
          unsupported.getMessage().contains("blob.bin")
              && unsupported.getMessage().contains("unsupported type"),
          unsupported.getMessage());
      if (!Files.isReadable(locked)) { // root can read anything
        var unreadable =
            assertThrows(
                IllegalArgumentException.class,
                () -> rotator(sim).run(List.of(Map.of("prompt", "x", "files", locked.toString()))));
        assertTrue(
            unreadable.getMessage().contains("locked.txt")
                && unreadable.getMessage().contains("cannot be read"),
            unreadable.getMessage());
      }
      var http =
          assertThrows(
              IllegalArgumentException.class,
              () ->
                  rotator(sim).run(List.of(Map.of("prompt", "x", "files", "http://plain/a.png"))));
      assertTrue(http.getMessage().contains("https://"), http.getMessage());
      assertEquals(0, sim.requests().size());
    }
  }

  @Test
  void changedFileContentRedoesTheTaskOnResume() throws Exception {
    Path image = png("photo.png", 0x112233);
    Path cp = dir.resolve("cp.jsonl");
    List<Map<String, Object>> tasks =
        List.of(
            Map.of("id", "a", "prompt", "Caption", "files", image.toString()),
            Map.of("id", "b", "prompt", "Plain"));
    try (Simulator sim = Simulator.builder().start()) {
      String before = rotator(sim).checkpoint(cp).run(tasks).stringColumn("response").get(0);
      rotator(sim).checkpoint(cp).run(tasks);
      assertEquals(2, sim.requests().size(), "nothing changed: nothing is sent again");
      png("photo.png", 0x445566);
      String after = rotator(sim).checkpoint(cp).run(tasks).stringColumn("response").get(0);
      assertTrue(!before.equals(after), "the simulator's answer follows the image: " + before);
      assertEquals(3, sim.requests().size(), "the changed image is redone, the plain task is not");
      assertEquals("Caption", sim.requests().get(2).prompt());
    }
  }

  @Test
  void largeFilesAreUploadedOncePerProjectAndReusedAcrossTasksAndRetries() throws Exception {
    Path big =
        write(
            "big.pdf",
            ("%PDF-1.4\n" + "x".repeat(5000) + "\n%%EOF\n").getBytes(StandardCharsets.ISO_8859_1));
    try (Simulator sim =
        Simulator.builder()
            .project("p1", Quota.unlimited(), "p1-key-0001", "p1-key-0002")
            .project("p2", Quota.unlimited(), "p2-key-0003")
            .start()) {
      List<Map<String, Object>> tasks = new java.util.ArrayList<>();
      for (int i = 0; i < 12; i++)
        tasks.add(
            Map.of(
                "prompt",
                "Read it " + i + (i == 0 ? " [[sim:503x1]]" : ""),
                "files",
                big.toString()));
      Table t =
          Rotator.keys("p1-key-0001", "p1-key-0002", "p2-key-0003")
              .project("p1", "p1-key-0001", "p1-key-0002")
              .project("p2", "p2-key-0003")
              .slots(3)
              .baseUrl(sim.baseUrl())
              .files(LocalFiles.in(dir))
              .inlineLimit(1000)
              .run(tasks);
      assertEquals(
          12, t.booleanColumn("success").countTrue(), t.stringColumn("error").asList().toString());
      List<SimFile> uploads = sim.uploads();
      assertEquals(
          Set.of("p1", "p2"), uploads.stream().map(SimFile::project).collect(Collectors.toSet()));
      assertTrue(
          uploads.size() <= 2,
          "one upload per project, whatever the tasks and retries: " + uploads);
      for (SimRequest r : sim.requests()) {
        if (r.status() != 200) continue;
        SimPart p = r.parts().get(0);
        assertFalse(p.inline(), "over the inline limit the file goes by URI");
        String project = r.key().endsWith("0003") ? "p2" : "p1";
        SimFile f =
            uploads.stream().filter(u -> u.uri().equals(p.fileUri())).findFirst().orElseThrow();
        assertEquals(project, f.project(), "each key uses its own project's copy");
        assertEquals(Files.size(big), p.bytes());
      }
    }
  }

  @Test
  void aRerunReusesRememberedUploadsAndReuploadsWhenTheFileIsGone() throws Exception {
    Path big = write("big.txt", "y".repeat(4000).getBytes(StandardCharsets.UTF_8));
    Path cp = dir.resolve("cp.jsonl");
    try (Simulator sim = Simulator.builder().start()) {
      rotator(sim)
          .checkpoint(cp)
          .inlineLimit(100)
          .run(List.of(Map.of("id", "1", "prompt", "Summarise", "files", big.toString())));
      assertEquals(1, sim.uploads().size());
      assertTrue(
          Files.readString(dir.resolve("cp.uploads.jsonl")).contains(sim.uploads().get(0).name()));
      rotator(sim)
          .checkpoint(cp)
          .inlineLimit(100)
          .run(List.of(Map.of("id", "2", "prompt", "Summarise again", "files", big.toString())));
      assertEquals(1, sim.uploads().size(), "a rerun uses the remembered upload");
      assertEquals(sim.uploads().get(0).uri(), sim.requests().get(1).parts().get(0).fileUri());
      Rotator other =
          Rotator.keys("other-project-key-9999")
              .baseUrl(sim.baseUrl())
              .files(LocalFiles.in(dir))
              .checkpoint(cp)
              .inlineLimit(100);
      Table t =
          other.run(
              List.of(Map.of("id", "3", "prompt", "Another project", "files", big.toString())));
      assertTrue(t.booleanColumn("success").get(0), t.stringColumn("error").get(0));
      assertEquals(
          2,
          sim.uploads().size(),
          "a remembered file of another project is checked, found invisible, and uploaded again");
    }
  }

  @Test
  void aRememberedUploadNearItsExpiryIsNotReused() throws Exception {
    Path big = write("big.txt", "z".repeat(3000).getBytes(StandardCharsets.UTF_8));
    Path cp = dir.resolve("cp.jsonl");
    Path memory = dir.resolve("cp.uploads.jsonl");
    try (Simulator sim = Simulator.builder().start()) {
      rotator(sim)
          .checkpoint(cp)
          .inlineLimit(100)
          .run(List.of(Map.of("id", "1", "prompt", "Summarise", "files", big.toString())));
      assertEquals(1, sim.uploads().size());
      // The simulator still has the file, but the memory says it expires within the hour: a long
      // run could outlive it.
      String soon = java.time.Instant.now().plus(java.time.Duration.ofMinutes(30)).toString();
      Files.writeString(
          memory,
          Files.readString(memory)
              .replaceAll("\"expires\":\"[^\"]+\"", "\"expires\":\"" + soon + "\""));
      Table t =
          rotator(sim)
              .checkpoint(cp)
              .inlineLimit(100)
              .run(List.of(Map.of("id", "2", "prompt", "Again", "files", big.toString())));
      assertTrue(t.booleanColumn("success").get(0), t.stringColumn("error").get(0));
      assertEquals(
          2, sim.uploads().size(), "uploaded again instead of reusing a file about to expire");
      assertEquals(sim.uploads().get(1).uri(), sim.requests().get(1).parts().get(0).fileUri());
    }
  }
}
