package dev.gkr.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gkr.Task;
import dev.gkr.sim.KeyBehavior;
import dev.gkr.sim.Simulator;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Awkward input files, outputs that cannot be written, and a scan of everything written for whole
 * keys.
 */
class InputAndSecretsTest {
  @TempDir Path dir;

  @Test
  void csvWithBomCrlfQuotedNewlinesUnicodeBlankLinesAndAHugePrompt() throws Exception {
    String huge = "x".repeat(1_000_000);
    String csv =
        "\uFEFFid,prompt,note\r\n"
            + "a,\"first line\r\nsecond line\",multi\r\n"
            + "\r\n"
            + "b,Grüße aus Zürich — 東京 🚀,unicode\r\n"
            + "c,"
            + huge
            + ",huge\r\n";
    Path f = dir.resolve("awkward.csv");
    Files.writeString(f, csv, StandardCharsets.UTF_8);
    List<Task> tasks = TaskFiles.read(f.toString(), new ByteArrayInputStream(new byte[0]));
    assertEquals(3, tasks.size());
    assertEquals("a", tasks.get(0).id(), "the BOM must not become part of the first column's name");
    assertEquals(
        "first line\nsecond line",
        tasks.get(0).prompt(),
        "line endings inside quoted fields become \\n");
    assertEquals("Grüße aus Zürich — 東京 🚀", tasks.get(1).prompt());
    assertEquals(1_000_000, tasks.get(2).prompt().length());
    assertEquals(Map.of("note", "huge"), tasks.get(2).metadata());
  }

  @Test
  void notUtf8IsAClearError() throws Exception {
    Path f = dir.resolve("latin1.txt");
    Files.write(f, new byte[] {'c', 'a', 'f', (byte) 0xE9, '\n'});
    InputException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            InputException.class,
            () -> TaskFiles.read(f.toString(), new ByteArrayInputStream(new byte[0])));
    assertEquals(f + ": is not UTF-8 text", e.getMessage());
  }

  /**
   * A real full disk: a 64 KiB tmpfs, filled. Needs root (as CI and these machines have); skipped
   * otherwise.
   */
  @Test
  void aFullDiskFailsBeforeAnyRequestIsSent() throws Exception {
    Path mnt = Files.createDirectories(dir.resolve("full-disk"));
    Process mount =
        new ProcessBuilder(
                "mount", "-t", "tmpfs", "-o", "size=64k", "gkr-full-disk", mnt.toString())
            .redirectErrorStream(true)
            .start();
    org.junit.jupiter.api.Assumptions.assumeTrue(
        mount.waitFor() == 0, "cannot mount a tmpfs here (not root?)");
    try (Simulator sim = Simulator.builder().start()) {
      try (var out = Files.newOutputStream(mnt.resolve("filler"))) {
        out.write(new byte[64 * 1024]);
      } catch (java.io.IOException expected) {
        // the disk is full now
      }
      Path tasks = dir.resolve("t.txt");
      Files.writeString(tasks, "hello\n");
      Path keys = dir.resolve("k.txt");
      Files.writeString(keys, "disk-key-0001\n");
      Files.setPosixFilePermissions(keys, PosixFilePermissions.fromString("rw-------"));
      String results = mnt.resolve("results.csv").toString();
      InProcessGkr r =
          InProcessGkr.run(
              new String[] {
                "--keys-file",
                keys.toString(),
                "--base-url",
                sim.baseUrl(),
                "--out",
                results,
                tasks.toString()
              });
      assertEquals(2, r.code());
      assertTrue(r.err().contains(results + ": cannot write here"), r.err());
      assertEquals(0, sim.requests().size(), "quota was spent before the disk was checked");
    } finally {
      new ProcessBuilder("umount", mnt.toString()).start().waitFor();
    }
  }

  /**
   * The same check where no tmpfs can be mounted (not root, or root in a container, as on CI): the
   * real {@code gkr} process runs with a file size limit of 48 KiB ({@code ulimit -f}, SIGXFSZ
   * ignored), so the operating system refuses its 64 KiB space probe as a full disk would refuse
   * it, with an error from the write itself. Runs everywhere with a POSIX shell.
   */
  @Test
  void aWriteTheFileSystemRefusesFailsBeforeAnyRequestIsSent_issue32() throws Exception {
    try (Simulator sim = Simulator.builder().start()) {
      Path tasks = dir.resolve("t.txt");
      Files.writeString(tasks, "hello\n");
      Path keys = dir.resolve("k.txt");
      Files.writeString(keys, "limit-key-0001\n");
      Files.setPosixFilePermissions(keys, PosixFilePermissions.fromString("rw-------"));
      String results = dir.resolve("out").resolve("results.csv").toString();
      List<String> cmd =
          new java.util.ArrayList<>(
              List.of(
                  "sh",
                  "-c",
                  "trap '' XFSZ; ulimit -f 48; exec \"$0\" \"$@\"",
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-cp",
                  System.getProperty("java.class.path"),
                  GkrCommand.class.getName(),
                  "--keys-file",
                  keys.toString(),
                  "--base-url",
                  sim.baseUrl(),
                  "--out",
                  results,
                  tasks.toString()));
      Path err = dir.resolve("limited.err");
      ProcessBuilder pb =
          new ProcessBuilder(cmd)
              .directory(dir.toFile())
              .redirectOutput(dir.resolve("limited.out").toFile())
              .redirectError(err.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
      for (String v : dev.gkr.Rotator.KEY_VARIABLES) pb.environment().remove(v);
      Process p = pb.start();
      assertTrue(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS), "gkr did not end");
      String stderr = Files.readString(err);
      assertEquals(2, p.exitValue(), stderr);
      assertTrue(stderr.contains(results + ": cannot write here"), stderr);
      assertEquals(0, sim.requests().size(), "quota was spent before the disk was checked");
    }
  }

  @Test
  void aMalformedKeyInTheKeysFileIsRefusedBeforeAnyRequestNamingFileAndLine_issue25()
      throws Exception {
    try (Simulator sim = Simulator.builder().start()) {
      Path tasks = dir.resolve("t.txt");
      Files.writeString(tasks, "hello\n");
      Path keys = dir.resolve("keys.txt");
      Files.writeString(keys, "# mine\ngood-key-000000001\nbad!!key\u20ac\n");
      Files.setPosixFilePermissions(keys, PosixFilePermissions.fromString("rw-------"));
      InProcessGkr r =
          InProcessGkr.run(
              "--keys-file",
              keys.toString(),
              "--base-url",
              sim.baseUrl(),
              "--quiet",
              tasks.toString());
      assertEquals(2, r.code(), r.err());
      assertTrue(r.err().contains(keys + " line 3: the key has '!' at character 4"), r.err());
      assertFalse(r.err().contains("bad!!key"), "the key itself is never printed: " + r.err());
      assertEquals(0, sim.requests().size());
    }
  }

  @Test
  void aMalformedKeyInTheEnvironmentIsRefusedByPosition_issue25() throws Exception {
    InProcessGkr r;
    try (Simulator sim = Simulator.builder().start()) {
      r =
          InProcessGkr.run(
              Map.of("GEMINI_API_KEYS", "env-key-0001,env key-0002"),
              "hello\n",
              "--quiet",
              "--base-url",
              sim.baseUrl(),
              "--out",
              dir.resolve("r.csv").toString(),
              "-");
      assertEquals(0, sim.requests().size());
    }
    assertEquals(2, r.code(), r.err());
    assertTrue(
        r.err().contains("GEMINI_API_KEYS: key 2 has a blank (U+0020) at character 4"), r.err());
    assertFalse(r.err().contains("env key-0002"), r.err());
  }

  @Test
  void noWholeKeyInAnythingTheCommandWritesOrPrints() throws Exception {
    String suspended = "AIzaSyGKR-test-suspended-0000000000001";
    String invalid = "AIzaSyGKR-test-invalid-00000000000000002";
    String healthy = "AIzaSyGKR-test-healthy-00000000000000003";
    try (Simulator sim =
        Simulator.builder()
            .key(suspended, KeyBehavior.suspendedAfter(2))
            .key(invalid, KeyBehavior.invalid())
            .start()) {
      Path keys = dir.resolve("keys.txt");
      Files.writeString(keys, suspended + "\n" + invalid + "\n" + healthy + "\n");
      Path tasks = dir.resolve("tasks.csv");
      StringBuilder csv = new StringBuilder("prompt\n");
      for (int i = 0; i < 30; i++)
        csv.append("secret scan ")
            .append(i)
            .append(i % 7 == 0 ? " [[sim:safety]]" : "")
            .append('\n');
      Files.writeString(tasks, csv);
      InProcessGkr r =
          InProcessGkr.run(
              new String[] {
                "--keys-file",
                keys.toString(),
                "--base-url",
                sim.baseUrl(),
                "--slots",
                "2",
                "--max-retries",
                "1",
                "--monitor-interval",
                "50ms",
                tasks.toString()
              });
      assertEquals(1, r.code(), r.err());
      StringBuilder everything = new StringBuilder(r.out()).append(r.err());
      try (Stream<Path> files = Files.list(dir)) {
        for (Path p : files.filter(p -> !p.equals(keys)).toList())
          everything.append(Files.readString(p));
      }
      assertTrue(
          everything.toString().contains("key-1…0001"),
          "keys should appear as label and last four characters");
      for (String key : List.of(suspended, invalid, healthy)) {
        assertFalse(everything.toString().contains(key), "a whole key was written or printed");
        assertFalse(
            everything.toString().contains(key.substring(0, 20)),
            "most of a key was written or printed");
      }
    }
  }
}
