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
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tasks file is data, often someone else's: its {@code files} may name only files inside its own
 * folder (or a folder the user allows with {@code --files-root}). Anything else is refused before a
 * single request, naming the file, the line and the path (issue 31).
 */
class FilesStayInsideTheDataCliTest {
  @TempDir Path dir;

  private Path job;
  private Path secret;

  /** {@code dir/job/} holds the tasks; {@code dir/secret.txt} is outside it. */
  private void layout() throws Exception {
    job = Files.createDirectories(dir.resolve("job"));
    Files.createDirectories(job.resolve("images"));
    Files.writeString(job.resolve("images/a.txt"), "a note inside", StandardCharsets.UTF_8);
    secret = Files.writeString(dir.resolve("secret.txt"), "AWS_SECRET=do-not-send");
  }

  private Path keys() throws Exception {
    Path keys = dir.resolve("keys.txt");
    if (!Files.exists(keys)) {
      Files.writeString(keys, "files-root-key-0001\n");
      Files.setPosixFilePermissions(keys, PosixFilePermissions.fromString("rw-------"));
    }
    return keys;
  }

  private InProcessGkr gkr(Simulator sim, Path tasks, String... more) throws Exception {
    List<String> args =
        new ArrayList<>(
            List.of("--quiet", "--keys-file", keys().toString(), "--base-url", sim.baseUrl()));
    args.addAll(List.of(more));
    args.add(tasks.toString());
    return InProcessGkr.run(args.toArray(String[]::new));
  }

  private Path csv(String files) throws Exception {
    return Files.writeString(
        job.resolve("t.csv"),
        "id,prompt,files\nok,Read,images/a.txt\nq1,Summarise this file,\"" + files + "\"\n");
  }

  private void assertRefused(Simulator sim, InProcessGkr r, String file, int line, String path) {
    String err = r.err();
    assertEquals(2, r.code(), err);
    assertTrue(
        err.contains(file + " line " + line + ", field 'files': " + path + " is outside"), err);
    assertTrue(err.contains("--files-root"), "says what to do next: " + err);
    assertEquals(0, sim.requests().size(), "nothing sent, not even the good row");
  }

  @Test
  void anAbsolutePathOutsideTheTasksFolderIsRefusedBeforeAnyRequest_issue31() throws Exception {
    layout();
    try (Simulator sim = Simulator.builder().start()) {
      Path tasks = csv("/etc/passwd");
      assertRefused(sim, gkr(sim, tasks), tasks.toString(), 3, "/etc/passwd");
    }
  }

  @Test
  void dotDotThatLeavesTheFolderIsRefused_issue31() throws Exception {
    layout();
    try (Simulator sim = Simulator.builder().start()) {
      Path tasks = csv("images/../../secret.txt");
      assertRefused(sim, gkr(sim, tasks), tasks.toString(), 3, "images/../../secret.txt");
      Path again = csv("../../root/.bashrc");
      assertRefused(sim, gkr(sim, again), again.toString(), 3, "../../root/.bashrc");
    }
  }

  @Test
  void aSymlinkInsideTheFolderThatPointsOutsideIsRefused_issue31() throws Exception {
    layout();
    Files.createSymbolicLink(job.resolve("innocent.txt"), secret);
    Files.createSymbolicLink(job.resolve("docs"), dir);
    try (Simulator sim = Simulator.builder().start()) {
      Path tasks = csv("innocent.txt");
      assertRefused(sim, gkr(sim, tasks), tasks.toString(), 3, "innocent.txt");
      Path viaDir = csv("docs/secret.txt");
      assertRefused(sim, gkr(sim, viaDir), viaDir.toString(), 3, "docs/secret.txt");
    }
  }

  @Test
  void aJsonlFilesFieldIsConfinedToo_issue31() throws Exception {
    layout();
    Path tasks =
        Files.writeString(
            job.resolve("t.jsonl"),
            "{\"id\": \"ok\", \"prompt\": \"Read\", \"files\": [\"images/a.txt\"]}\n"
                + "{\"id\": \"q2\", \"prompt\": \"Summarise\", \"files\": [\""
                + secret
                + "\"]}\n");
    try (Simulator sim = Simulator.builder().start()) {
      assertRefused(sim, gkr(sim, tasks), tasks.toString(), 2, secret.toString());
    }
  }

  @Test
  void aMissingFileOutsideTheFolderIsRefusedNotLookedFor_issue31() throws Exception {
    layout();
    try (Simulator sim = Simulator.builder().start()) {
      Path tasks = csv("../nothing-here.txt");
      InProcessGkr r = gkr(sim, tasks);
      assertRefused(sim, r, tasks.toString(), 3, "../nothing-here.txt");
      assertFalse(r.err().contains("does not exist"), "does not tell what exists outside");
    }
  }

  @Test
  void filesRootLetsADeliberateFolderThrough_issue31() throws Exception {
    layout();
    try (Simulator sim = Simulator.builder().start()) {
      Path tasks = csv(secret.toString() + ";../secret.txt");
      InProcessGkr r = gkr(sim, tasks, "--files-root", dir.toString());
      assertEquals(0, r.code(), r.err());
      List<Long> sizes =
          sim.requests().stream()
              .filter(q -> q.prompt().equals("Summarise this file"))
              .flatMap(q -> q.parts().stream())
              .map(SimPart::bytes)
              .toList();
      assertEquals(List.of(22L, 22L), sizes, "the file outside the tasks folder, sent twice");
    }
  }

  @Test
  void filesRootSlashAllowsEveryFileDeliberately_issue31() throws Exception {
    layout();
    try (Simulator sim = Simulator.builder().start()) {
      Path tasks = csv(secret.toString());
      InProcessGkr r = gkr(sim, tasks, "--files-root", "/");
      assertEquals(0, r.code(), r.err());
      assertEquals(2, sim.requests().size());
    }
  }

  @Test
  void filesRootMustBeAnExistingFolder_issue31() throws Exception {
    layout();
    try (Simulator sim = Simulator.builder().start()) {
      Path tasks = csv("images/a.txt");
      InProcessGkr r = gkr(sim, tasks, "--files-root", dir.resolve("nope").toString());
      assertEquals(2, r.code(), r.err());
      assertTrue(r.err().contains("--files-root"), r.err());
      assertTrue(r.err().contains(dir.resolve("nope").toString()), r.err());
      assertEquals(0, sim.requests().size());
    }
  }

  @Test
  void thePlanSaysSoTooAndTakesTheSameFilesRoot_issue31() throws Exception {
    layout();
    csv("/etc/passwd");
    java.util.Map<String, String> env = java.util.Map.of("GEMINI_API_KEYS", "k1,k2");
    GkrProcess refused = GkrProcess.run(job, env, "plan", "t.csv");
    assertEquals(2, refused.code(), refused.err());
    assertTrue(
        refused.err().contains("t.csv line 3, field 'files': /etc/passwd is outside"),
        refused.err());
    GkrProcess allowed = GkrProcess.run(job, env, "plan", "--files-root", "/", "t.csv");
    assertEquals(0, allowed.code(), allowed.err());
    assertTrue(allowed.out().contains("2 tasks"), allowed.out());
  }

  /** The README's two jobs with files ("The whole request"): captions.csv and invoices.jsonl. */
  @Test
  void theReadmesExamplesWithFilesStillRun_issue31() throws Exception {
    Path work = Files.createDirectories(dir.resolve("work"));
    Files.createDirectories(work.resolve("images"));
    Files.createDirectories(work.resolve("scans"));
    byte[] png = Files.readAllBytes(pngOf(work.resolve("images/red.png")));
    Files.write(work.resolve("images/a.png"), png);
    Files.write(work.resolve("images/b.png"), png);
    byte[] pdf =
        "%PDF-1.4\n1 0 obj << /Type /Page >> endobj\n%%EOF\n".getBytes(StandardCharsets.ISO_8859_1);
    Files.write(work.resolve("scans/117.pdf"), pdf);
    Files.write(work.resolve("scans/118.pdf"), pdf);
    Path captions =
        Files.writeString(
            work.resolve("captions.csv"),
            "id,prompt,files\n"
                + "red,Write a one-line caption.,images/red.png\n"
                + "all,Compare these.,images/a.png;images/b.png\n");
    Path invoices =
        Files.writeString(
            work.resolve("invoices.jsonl"),
            "{\"id\": \"inv-117\", \"prompt\": \"Extract the invoice fields.\", \"files\":"
                + " [\"scans/117.pdf\"]}\n"
                + "{\"id\": \"inv-118\", \"prompt\": \"Extract the invoice fields.\", \"files\":"
                + " \"scans/118.pdf\", \"config\": {\"maxOutputTokens\": 512}, \"system\":"
                + " \"Amounts in EUR.\"}\n");
    try (Simulator sim = Simulator.builder().start()) {
      InProcessGkr a = gkr(sim, captions, "--max-output-tokens", "256", "--thinking-budget", "0");
      assertEquals(0, a.code(), a.err());
      // the README passes --config generation.json; thinking off keeps the 512-token answer whole
      InProcessGkr b = gkr(sim, invoices, "--thinking-budget", "0");
      assertEquals(0, b.code(), Files.readString(work.resolve("invoices.results.csv")));
      long parts = sim.requests().stream().mapToLong(q -> q.parts().size()).sum();
      assertTrue(parts >= 5, "every file went with its task: " + sim.requests());
    }
  }

  private static Path pngOf(Path p) throws Exception {
    var img = new java.awt.image.BufferedImage(4, 4, java.awt.image.BufferedImage.TYPE_INT_RGB);
    javax.imageio.ImageIO.write(img, "png", p.toFile());
    return p;
  }
}
