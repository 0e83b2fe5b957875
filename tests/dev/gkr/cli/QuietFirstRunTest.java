package dev.gkr.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gkr.Rotator;
import dev.gkr.sim.Simulator;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14: a first build and a first run say nothing but gkr's own lines. The stderr tests are
 * meaningful on the JDK the build uses (25; {@code scripts/test} finds it): JDK 24+ is where
 * classgraph 4.8.168 printed four {@code sun.misc.Unsafe::invokeCleaner} warnings on every start.
 */
class QuietFirstRunTest {
  @TempDir Path dir;

  @Test
  void theRealCommandPrintsOnlyGkrLinesOnStderr_issue14() throws Exception {
    StringBuilder csv = new StringBuilder("prompt\n");
    for (int i = 0; i < 20; i++) csv.append("quiet question ").append(i).append('\n');
    Files.writeString(dir.resolve("tasks.csv"), csv.toString());
    for (List<String> args :
        List.of(
            List.of("--simulate", "tasks.csv"), List.of("--simulate", "--quiet", "tasks.csv"))) {
      Files.deleteIfExists(dir.resolve("tasks.csv.checkpoint.jsonl"));
      GkrProcess r = GkrProcess.run(dir, Map.of(), args.toArray(String[]::new));
      assertEquals(0, r.code(), args + ": " + r.err());
      for (String line : r.err().lines().toList())
        assertTrue(line.startsWith("gkr: "), args + ": not gkr's own line on stderr: " + line);
      assertFalse(r.err().contains("WARNING"), r.err());
      assertEquals(
          21,
          Files.readAllLines(dir.resolve("tasks.results.csv")).size(),
          "the run did its work: " + r.out());
    }
  }

  @Test
  void aJavaApiRunPrintsNothingAtAll_issue14() throws Exception {
    try (Simulator sim = Simulator.builder().start()) {
      GkrProcess r =
          GkrProcess.java(
              dir,
              Map.of(),
              List.of(
                  "-cp",
                  System.getProperty("java.class.path"),
                  "dev.gkr.ChildRun",
                  sim.baseUrl(),
                  dir.resolve("api.checkpoint.jsonl").toString(),
                  "10"));
      assertEquals(0, r.code(), r.err());
      assertEquals("", r.err(), "the library never prints, and no library or JVM warning either");
      assertEquals("", r.out());
      assertEquals(10, Files.readAllLines(dir.resolve("api.checkpoint.jsonl")).size());
    }
  }

  @Test
  void otherLinesWipeTheStatusLineFirstSoTheyNeverLandInsideIt_issue14() {
    ByteArrayOutputStream terminal = new ByteArrayOutputStream(); // stdout and stderr on one screen
    PrintStream screen = new PrintStream(terminal, true, StandardCharsets.UTF_8);
    Monitor m = new Monitor(Rotator.keys("k"), screen, Duration.ofSeconds(1), 10, true);
    PrintStream err = m.guard(screen);
    m.show("[##--] 20% active 1/1 | ETA 333ms");
    err.println("gkr: a notice");
    err.println("gkr: another");
    m.show("[###-] 30% active 1/1 | ETA 300ms");
    m.stop();
    String text = terminal.toString(StandardCharsets.UTF_8);
    assertEquals(
        "\r\033[K[##--] 20% active 1/1 | ETA 333ms\r\033[Kgkr: a notice\ngkr: another\n\r\033[K[###-] 30% active 1/1 | ETA 300ms\r\033[K",
        text);
  }

  @Test
  void theLastStatusLineIsWipedBeforeTheSummary_issue25() {
    ByteArrayOutputStream terminal = new ByteArrayOutputStream();
    PrintStream screen = new PrintStream(terminal, true, StandardCharsets.UTF_8);
    Monitor m = new Monitor(Rotator.keys("k"), screen, Duration.ofSeconds(1), 10, true);
    m.show("[#########-] 90% active 1/1 | ETA 1s");
    m.stop();
    screen.println("completed: 10 tasks");
    String text = terminal.toString(StandardCharsets.UTF_8);
    // What the screen shows: the text after the last line wipe on each line.
    String lastLine = text.substring(text.lastIndexOf("\r\033[K") + "\r\033[K".length());
    assertEquals("completed: 10 tasks\n", lastLine, "the bar stays frozen above the summary");
    assertFalse(text.contains("ETA 1s\n"), text);
  }

  @Test
  void libraryCompilesWithoutWarnings_issue14() throws Exception {
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    assertNotNull(javac, "tests run on a JDK");
    List<Path> sources;
    try (Stream<Path> walk = Files.walk(Path.of("lib"))) {
      sources = walk.filter(p -> p.toString().endsWith(".java")).toList();
    }
    assertTrue(sources.size() > 40, "found the library's sources: " + sources.size());
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    try (StandardJavaFileManager files =
        javac.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8)) {
      // the options of pom.xml's compiler plugin
      List<String> options =
          List.of(
              "--release",
              "21",
              "-Xlint:all,-serial,-processing,-options",
              "-proc:none",
              "-cp",
              System.getProperty("java.class.path"),
              "-d",
              dir.toString());
      boolean ok =
          javac
              .getTask(
                  null,
                  files,
                  diagnostics,
                  options,
                  null,
                  files.getJavaFileObjectsFromPaths(sources))
              .call();
      List<String> warnings = new ArrayList<>();
      for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
        if (d.getKind() != Diagnostic.Kind.NOTE) warnings.add(d.toString());
      }
      assertTrue(ok, warnings.toString());
      assertEquals(List.of(), warnings);
    }
  }

  @Test
  void mavenRunFromTheScriptsLeavesNoEscapeCodesInCapturedOutput_issue14() throws Exception {
    Files.writeString(
        dir.resolve("pom.xml"),
        "<project xmlns=\"http://maven.apache.org/POM/4.0.0\"><modelVersion>4.0.0</modelVersion>"
            + "<groupId>local.gkr</groupId><artifactId>quiet</artifactId><version>1</version></project>");
    ProcessBuilder pb =
        new ProcessBuilder(
                "bash",
                "-c",
                "source \"$1\" && mvn -q -B -ntp -Dstyle.color=never -f \"$2\" validate",
                "bash",
                Path.of("scripts/lib/jdk.sh").toAbsolutePath().toString(),
                dir.resolve("pom.xml").toString())
            .redirectErrorStream(true)
            .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
    pb.environment().remove("MAVEN_OPTS"); // as in a fresh shell, not the one scripts/test set up
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    assertFalse(
        out.contains("\033"), "escape codes in captured output: " + out.replace("\033", "ESC"));
  }
}
