package dev.gkr.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gkr.sim.SimRequest;
import dev.gkr.sim.Simulator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16 on the command line: each option reaches the wire; each bad input exits 2 before any
 * request.
 */
class RequestOptionsCliTest {
  @TempDir Path dir;

  InProcessGkr gkr(Simulator sim, String... args) throws Exception {
    return InProcessGkr.onSimulator(dir, "cli-surface-key-0001", sim, args);
  }

  Path write(String name, String content) throws Exception {
    Path p = dir.resolve(name);
    Files.createDirectories(p.getParent());
    Files.writeString(p, content, StandardCharsets.UTF_8);
    return p;
  }

  @Test
  void everyGenerationOptionReachesTheWire() throws Exception {
    try (Simulator sim = Simulator.builder().start()) {
      Path cfg = write("cfg.json", "{\"presencePenalty\": 0.25, \"maxOutputTokens\": 10}");
      Path tasks = write("t.txt", "Describe the tides\n");
      InProcessGkr r =
          gkr(
              sim,
              "--max-output-tokens",
              "800",
              "--top-p",
              "0.8",
              "--top-k",
              "20",
              "--seed",
              "3",
              "--stop",
              "END",
              "--stop",
              "FIN",
              "--thinking-budget",
              "128",
              "--safety",
              "HARM_CATEGORY_HARASSMENT=BLOCK_ONLY_HIGH",
              "--config",
              cfg.toString(),
              tasks.toString());
      assertEquals(0, r.code(), r.err());
      SimRequest req = sim.requests().get(0);
      JsonNode g = req.generationConfig();
      assertEquals(
          800, g.path("maxOutputTokens").asInt(), "the explicit option wins over --config");
      assertEquals(0.8, g.path("topP").asDouble(), 1e-6);
      assertEquals(20, g.path("topK").asInt());
      assertEquals(3, g.path("seed").asInt());
      assertEquals("[\"END\",\"FIN\"]", g.path("stopSequences").toString());
      assertEquals(128, g.path("thinkingConfig").path("thinkingBudget").asInt());
      assertEquals(0.25, g.path("presencePenalty").asDouble(), 1e-6);
      assertEquals("BLOCK_ONLY_HIGH", req.safetySettings().get(0).path("threshold").asText());
      String header = Files.readAllLines(dir.resolve("t.results.csv")).get(0);
      assertTrue(
          header.contains("thoughts_tokens,cached_tokens,total_tokens,model,model_version"),
          header);
    }
  }

  @Test
  void thinkingLevelReachesTheWire() throws Exception {
    try (Simulator sim = Simulator.builder().start()) {
      InProcessGkr r =
          gkr(
              sim,
              "--model",
              "gemini-3-pro-preview",
              "--thinking-level",
              "high",
              write("t.txt", "hello\n").toString());
      assertEquals(0, r.code(), r.err());
      assertEquals(
          "HIGH",
          sim.requests()
              .get(0)
              .generationConfig()
              .path("thinkingConfig")
              .path("thinkingLevel")
              .asText());
    }
  }

  @Test
  void bothThinkingOptionsExit2BeforeAnyRequest() throws Exception {
    try (Simulator sim = Simulator.builder().start()) {
      InProcessGkr r =
          gkr(
              sim,
              "--thinking-budget",
              "10",
              "--thinking-level",
              "low",
              write("t.txt", "hello\n").toString());
      assertEquals(2, r.code());
      assertTrue(r.err().contains("--thinking-budget and --thinking-level"), r.err());
      Path cfg = write("cfg.json", "{\"thinking_config\": {\"thinking_level\": \"low\"}}");
      r =
          gkr(
              sim,
              "--thinking-budget",
              "10",
              "--config",
              cfg.toString(),
              write("t.txt", "hello\n").toString());
      assertEquals(2, r.code());
      assertTrue(r.err().contains("--thinking-budget and --thinking-level are both set"), r.err());
      assertEquals(0, sim.requests().size());
    }
  }

  @Test
  void unknownConfigFieldExits2NamingFileAndField() throws Exception {
    try (Simulator sim = Simulator.builder().start()) {
      Path cfg = write("cfg.json", "{\"maxOutputTokens\": 100, \"temprature\": 0.2}");
      InProcessGkr r = gkr(sim, "--config", cfg.toString(), write("t.txt", "hello\n").toString());
      assertEquals(2, r.code());
      assertTrue(r.err().contains(cfg.toString()) && r.err().contains("'temprature'"), r.err());
      r = gkr(sim, "--safety", "HARASSMENT", write("t.txt", "hello\n").toString());
      assertEquals(2, r.code());
      assertTrue(r.err().contains("CATEGORY=THRESHOLD"), r.err());
      r = gkr(sim, "--safety", "HARASSMENT=SOMETIMES", write("t.txt", "hello\n").toString());
      assertEquals(2, r.code());
      assertTrue(r.err().contains("SOMETIMES"), r.err());
      assertEquals(0, sim.requests().size());
    }
  }

  @Test
  void badConfigJsonInACsvRowExits2NamingFileLineAndColumn() throws Exception {
    try (Simulator sim = Simulator.builder().start()) {
      Path tasks =
          write("tasks.csv", "id,prompt,config\na,fine,\nb,broken,\"{\"\"topK\"\": 3,}\"\n");
      InProcessGkr r = gkr(sim, tasks.toString());
      assertEquals(2, r.code());
      assertTrue(
          r.err().contains(tasks + " line 3, field 'config': not valid JSON at column"), r.err());
      Path badLine =
          write(
              "bad.jsonl",
              "{\"prompt\": \"ok\"}\n{\"prompt\": \"x\", \"config\": {\"topK\": 3,}}\n");
      r = gkr(sim, badLine.toString());
      assertEquals(2, r.code());
      assertTrue(r.err().contains(badLine + " line 2: not valid JSON at column "), r.err());
      Path jsonl =
          write(
              "tasks.jsonl",
              "{\"prompt\": \"ok\"}\n{\"prompt\": \"x\", \"config\": {\"maxOutputTokens\": 5, \"bogus\": true}}\n");
      r = gkr(sim, jsonl.toString());
      assertEquals(2, r.code());
      assertTrue(r.err().contains("task 2") && r.err().contains("'bogus'"), r.err());
      assertEquals(0, sim.requests().size());
    }
  }

  @Test
  void perTaskColumnsReachTheWire() throws Exception {
    try (Simulator sim = Simulator.builder().start()) {
      Path tasks =
          write(
              "tasks.csv",
              "id,prompt,system,config\na,first,Be brief.,\"{\"\"max_output_tokens\"\": 321}\"\nb,second,,\n");
      InProcessGkr r = gkr(sim, "--system", "Batch system", tasks.toString());
      assertEquals(0, r.code(), r.err());
      Map<String, SimRequest> byPrompt = new java.util.HashMap<>();
      for (SimRequest q : sim.requests()) byPrompt.put(q.prompt(), q);
      assertEquals("Be brief.", byPrompt.get("first").system());
      assertEquals(321, byPrompt.get("first").generationConfig().path("maxOutputTokens").asInt());
      assertEquals("Batch system", byPrompt.get("second").system());
      assertTrue(byPrompt.get("second").generationConfig().path("maxOutputTokens").isMissingNode());
    }
  }

  @Test
  void acceptTruncatedKeepsCutOffJsonAnswers() throws Exception {
    try (Simulator sim = Simulator.builder().start()) {
      Path tasks = write("t.txt", "Give me a long JSON object\n");
      InProcessGkr r =
          gkr(
              sim,
              "--json",
              "--max-retries",
              "0",
              "--thinking-budget",
              "0",
              "--max-output-tokens",
              "20",
              tasks.toString());
      assertEquals(1, r.code(), r.err());
      assertTrue(Files.readString(dir.resolve("t.results.csv")).contains(",truncated,"));
      r =
          gkr(
              sim,
              "--json",
              "--max-retries",
              "0",
              "--thinking-budget",
              "0",
              "--max-output-tokens",
              "20",
              "--accept-truncated",
              "--checkpoint",
              dir.resolve("other.jsonl").toString(),
              tasks.toString());
      assertTrue(
          !Files.readString(dir.resolve("t.results.csv")).contains(",truncated,"),
          Files.readString(dir.resolve("t.results.csv")));
    }
  }

  @Test
  void filesColumnIsRelativeToTheTasksFileAndAMissingFileExits2NamingTaskAndPath()
      throws Exception {
    try (Simulator sim = Simulator.builder().start()) {
      write("job/images/a.txt", "first note");
      write("job/images/b.txt", "second note");
      Path tasks =
          write(
              "job/tasks.csv",
              "id,prompt,files\nt1,Read,images/a.txt;images/b.txt\nt2,Read one,\"[\"\"images/b.txt\"\"]\"\n");
      InProcessGkr r = gkr(sim, tasks.toString());
      assertEquals(0, r.code(), r.err());
      Map<String, SimRequest> byPrompt = new java.util.HashMap<>();
      for (SimRequest q : sim.requests()) byPrompt.put(q.prompt(), q);
      assertEquals(2, byPrompt.get("Read").parts().size());
      assertEquals(
          List.of(10L, 11L),
          byPrompt.get("Read").parts().stream().map(dev.gkr.sim.SimPart::bytes).toList());
      assertEquals(1, byPrompt.get("Read one").parts().size());
      Path broken =
          write(
              "job/broken.jsonl",
              "{\"id\": \"x1\", \"prompt\": \"Read\", \"files\": [\"images/missing.png\"]}\n");
      r = gkr(sim, broken.toString());
      assertEquals(2, r.code());
      assertTrue(r.err().contains("id x1") && r.err().contains("images/missing.png"), r.err());
      assertEquals(2, sim.requests().size());
    }
  }
}
