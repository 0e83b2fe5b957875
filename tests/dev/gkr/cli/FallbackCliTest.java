package dev.gkr.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gkr.sim.Simulator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 26 on the command line: {@code --fallback-model} and {@code --fallback-after}. */
class FallbackCliTest {
  @TempDir Path dir;

  InProcessGkr gkr(Simulator sim, String... args) throws Exception {
    return InProcessGkr.onSimulator(dir, "cli-fallback-key-0001", sim, args);
  }

  @Test
  void missingModelFallsBackAndEveryRowNamesTheModelAsked_issue26() throws Exception {
    try (Simulator sim = Simulator.builder().missingModel("gemini-0-retired").start()) {
      Path tasks = Files.writeString(dir.resolve("t.txt"), "one\ntwo\nthree\n");
      InProcessGkr r =
          gkr(
              sim,
              "--model",
              "gemini-0-retired",
              "--fallback-model",
              "gemini-2.5-flash-lite,gemini-2.5-flash",
              "--fallback-after",
              "30s",
              tasks.toString());
      assertEquals(0, r.code(), r.err());
      List<String> lines = Files.readAllLines(dir.resolve("t.results.csv"));
      List<String> header = Arrays.asList(lines.get(0).split(","));
      int model = header.indexOf("model");
      assertTrue(model >= 0 && header.get(model + 1).equals("model_version"), lines.get(0));
      for (String line : lines.subList(1, lines.size()))
        assertEquals("gemini-2.5-flash-lite", line.split(",")[model], line);
    }
  }

  @Test
  void aSettingAFallbackRefusesExitsTwoNamingTheModelBeforeAnyRequest_issue26() throws Exception {
    try (Simulator sim = Simulator.builder().start()) {
      Path tasks = Files.writeString(dir.resolve("t.txt"), "one\n");
      InProcessGkr r =
          gkr(
              sim,
              "--model",
              "gemini-3-flash-preview",
              "--thinking-level",
              "low",
              "--fallback-model",
              "gemini-2.5-flash",
              tasks.toString());
      assertEquals(2, r.code(), r.err());
      assertTrue(r.err().contains("gemini-2.5-flash"), r.err());
      assertTrue(r.err().contains("--thinking-level"), r.err());
      assertEquals(0, sim.requests().size());
    }
  }

  @Test
  void badFallbackOptionsExitTwo_issue26() throws Exception {
    try (Simulator sim = Simulator.builder().start()) {
      Path tasks = Files.writeString(dir.resolve("t.txt"), "one\n");
      InProcessGkr same = gkr(sim, "--fallback-model", "gemini-2.5-flash", tasks.toString());
      assertEquals(2, same.code());
      assertTrue(same.err().contains("--fallback-model"), same.err());
      InProcessGkr after = gkr(sim, "--fallback-after", "soon", tasks.toString());
      assertEquals(2, after.code());
      assertTrue(after.err().contains("--fallback-after"), after.err());
      assertEquals(0, sim.requests().size());
    }
  }

  @Test
  void planSaysTheChainAndTheCostIfTheDearestModelAnsweredEveryTask_issue26() throws Exception {
    Path tasks = Files.writeString(dir.resolve("p.txt"), "one\ntwo\nthree\n");
    Files.writeString(dir.resolve("keys.txt"), "cli-fallback-key-0001\n");
    Files.setPosixFilePermissions(
        dir.resolve("keys.txt"), PosixFilePermissions.fromString("rw-------"));
    // gkr plan prints to the process's stdout: a child process, as SharedOptionsCliTest runs it.
    String[] common = {"plan", "p.txt", "--keys-file", "keys.txt"};
    GkrProcess pro = GkrProcess.run(dir, Map.of(), concat(common, "--model", "gemini-2.5-pro"));
    GkrProcess chain =
        GkrProcess.run(
            dir,
            Map.of(),
            concat(common, "--model", "gemini-2.5-flash", "--fallback-model", "gemini-2.5-pro"));
    assertEquals(0, chain.code(), chain.err());
    // The bound is what the plan of the dearest model alone estimates.
    String proCost = pro.out().replaceAll("(?s).*cost: +about (\\$[0-9.]+).*", "$1");
    assertTrue(proCost.startsWith("$"), pro.out());
    assertTrue(
        chain
            .out()
            .contains(
                "fallback models: gemini-2.5-flash -> gemini-2.5-pro (the cost above is"
                    + " gemini-2.5-flash's); if gemini-2.5-pro answered every task: "
                    + proCost),
        chain.out() + "\n--- pro alone:\n" + pro.out());
  }

  private static String[] concat(String[] a, String... b) {
    List<String> all = new ArrayList<>(Arrays.asList(a));
    all.addAll(Arrays.asList(b));
    return all.toArray(String[]::new);
  }
}
