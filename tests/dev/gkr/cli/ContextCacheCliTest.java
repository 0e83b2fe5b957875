package dev.gkr.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gkr.sim.Simulator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 28: {@code --cache off|auto|on} on {@code gkr} and {@code gkr plan}. */
class ContextCacheCliTest {
  static final Map<String, String> KEYS = Map.of("GEMINI_API_KEYS", "cache-cli-key-0001");

  @TempDir Path dir;

  private Path tasks(int n) throws Exception {
    StringBuilder b = new StringBuilder("id,prompt\n");
    for (int i = 1; i <= n; i++) b.append("t").append(i).append(",How do I start the pump?\n");
    Path t = dir.resolve("tasks.csv");
    Files.writeString(t, b.toString(), StandardCharsets.UTF_8);
    return t;
  }

  private Path manual() throws Exception {
    Path m = dir.resolve("manual.txt");
    Files.writeString(m, "The pump must be primed before each start. ".repeat(230));
    return m;
  }

  @Test
  void aBadCacheModeIsExit2NamingTheOption_issue28() throws Exception {
    InProcessGkr run =
        InProcessGkr.run(KEYS, "", "--cache", "sometimes", "--simulate", tasks(1).toString());
    assertEquals(2, run.code(), run.err());
    assertTrue(run.err().contains("--cache must be off, auto or on, was 'sometimes'"), run.err());
    assertFalse(run.err().contains("Exception"), run.err());
  }

  private String keys() throws Exception {
    Path keys = dir.resolve("keys.txt");
    Files.writeString(keys, "cache-cli-key-0001\n");
    Files.setPosixFilePermissions(
        keys, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    return keys.toString();
  }

  @Test
  void embeddingsRefuseCacheOn_issue28() throws Exception {
    // gkr embed prints to the process's standard error: run as a process
    GkrProcess run =
        GkrProcess.run(dir, KEYS, "embed", "--simulate", "--cache", "on", tasks(1).toString());
    assertEquals(2, run.code(), run.err());
    assertTrue(
        run.err().contains("--cache: embeddings have no shared context to cache"), run.err());
  }

  @Test
  void thePlanSaysPerProjectWhatTheCacheModeDecides_issue28() throws Exception {
    String t = tasks(20).toString(), m = manual().toString();
    // gkr plan prints to the process's standard output: run as a process
    GkrProcess auto = GkrProcess.run(dir, KEYS, "plan", "--context", m, t);
    assertEquals(0, auto.code(), auto.err());
    assertTrue(auto.out().contains("cache:     project key-1 cached (saves about $"), auto.out());
    GkrProcess off = GkrProcess.run(dir, KEYS, "plan", "--context", m, "--cache", "off", t);
    assertTrue(off.out().contains("cache:     project key-1 inline (--cache off)"), off.out());
  }

  @Test
  void theSummarySaysWhatWasCachedAndItsStorage_issue28() throws Exception {
    try (Simulator sim = Simulator.builder().start()) {
      InProcessGkr run =
          InProcessGkr.run(
              "--keys-file",
              keys(),
              "--base-url",
              sim.baseUrl(),
              "--context",
              manual().toString(),
              tasks(20).toString());
      assertEquals(0, run.code(), run.err());
      assertEquals(1, sim.caches().created());
      assertEquals(0, sim.caches().live());
      String all = run.out() + run.err();
      assertTrue(all.contains("cache: project key-1 cached (saves about $"), all);
      assertTrue(all.contains(" context cache storage"), all);
    }
  }

  @Test
  void aLongRubricInSystemFileAloneIsCached_issue28() throws Exception {
    Path rubric = dir.resolve("rubric.txt");
    Files.writeString(rubric, "Score each answer from 1 to 5 for accuracy and tone. ".repeat(760));
    try (Simulator sim = Simulator.builder().start()) {
      InProcessGkr run =
          InProcessGkr.run(
              "--keys-file",
              keys(),
              "--base-url",
              sim.baseUrl(),
              "--system-file",
              rubric.toString(),
              "--cache",
              "on",
              tasks(10).toString());
      assertEquals(0, run.code(), run.err());
      assertEquals(1, sim.caches().created());
      assertEquals(0, sim.caches().live());
      for (var q : sim.requests()) assertTrue(q.system() == null || q.system().isEmpty());
      String all = run.out() + run.err();
      assertTrue(all.contains("cache: project key-1 cached ("), all);
    }
  }
}
