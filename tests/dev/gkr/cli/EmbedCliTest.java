package dev.gkr.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code gkr embed} as a user runs it (issue 29): vectors to Parquet and JSONL, bad input. */
class EmbedCliTest {
  @TempDir Path dir;

  private Path tasks() throws Exception {
    Path t = dir.resolve("chunks.csv");
    Files.writeString(
        t,
        "id,doc,text\n"
            + "c1,guide,Wind turns the blades.\n"
            + "c2,guide,The blades turn a generator.\n"
            + "c3,faq,Why do turbines stop in storms?\n");
    return t;
  }

  /** {@code gkr embed --simulate ARGS} in the test's folder. */
  private GkrProcess embed(String... args) throws Exception {
    String[] all = new String[args.length + 2];
    all[0] = "embed";
    all[1] = "--simulate";
    System.arraycopy(args, 0, all, 2, args.length);
    return GkrProcess.run(dir, Map.of(), all);
  }

  @Test
  void parquetHoldsTheVectorsAsAListOfFloatsOfTheAskedSizeIssue29() throws Exception {
    Path t = tasks();
    GkrProcess p =
        embed(
            "--dimensions",
            "768",
            "--title-column",
            "doc",
            "--task-type",
            "retrieval_document",
            t.toString(),
            "--out",
            "v.parquet");
    assertEquals(0, p.code(), p.out() + p.err());
    assertTrue(p.err().contains("3 of 3 texts embedded"), p.err());
    // the generation's summary: counts, cost, and the keys table
    assertTrue(p.err().contains("completed: 3 texts, 3 succeeded, 0 failed"), p.err());
    assertTrue(p.err().contains("cost: $") && p.err().contains("rate_limited"), p.err());
    assertFalse(
        p.err().contains("WARNING"), p.err()); // DuckDB loads native code: launched as JBang does
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:");
        ResultSet rs =
            db.createStatement()
                .executeQuery(
                    "SELECT id, typeof(embedding), len(embedding), doc, text FROM read_parquet('"
                        + dir.resolve("v.parquet")
                        + "') ORDER BY id")) {
      assertTrue(rs.next());
      assertEquals("c1", rs.getString(1));
      assertEquals("FLOAT[]", rs.getString(2));
      assertEquals(768, rs.getInt(3));
      assertEquals("guide", rs.getString(4));
      assertEquals("Wind turns the blades.", rs.getString(5));
    }
    assertTrue(Files.exists(dir.resolve("chunks.csv.embeddings.checkpoint.jsonl")));
  }

  @Test
  void jsonlHoldsEachVectorAsAnArrayOfNumbersIssue29() throws Exception {
    Path t = tasks();
    GkrProcess p = embed("--dimensions", "16", t.toString(), "--out", "v.jsonl");
    assertEquals(0, p.code(), p.out() + p.err());
    List<String> lines = Files.readAllLines(dir.resolve("v.jsonl"));
    assertEquals(3, lines.size());
    JsonNode row = new ObjectMapper().readTree(lines.get(0));
    assertTrue(row.get("embedding").isArray(), row.toString());
    assertEquals(16, row.get("embedding").size());
    assertTrue(row.get("embedding").get(0).isNumber());
  }

  @Test
  void aTitleColumnTheFileLacksIsBadInputIssue29() throws Exception {
    Path t = tasks();
    GkrProcess p = embed("--title-column", "chapter", t.toString());
    assertEquals(2, p.code(), p.err());
    assertTrue(p.err().contains("no column 'chapter' for --title-column"), p.err());
    assertTrue(!p.err().contains("Exception"), p.err());
  }

  @Test
  void modeBatchEmbedsThroughABatchJobAtTheBatchPriceIssue29() throws Exception {
    Path t = tasks();
    GkrProcess p = embed("--mode", "batch", t.toString(), "--out", "v.jsonl");
    assertEquals(0, p.code(), p.out() + p.err());
    assertTrue(p.err().contains("3 of 3 texts embedded"), p.err());
    List<String> lines = Files.readAllLines(dir.resolve("v.jsonl"));
    JsonNode row = new ObjectMapper().readTree(lines.get(0));
    assertEquals("batch", row.get("service_tier").asText(), row.toString());
    assertEquals(3072, row.get("embedding").size());
    long tokens = ("Wind turns the blades.".length() + 3) / 4; // by hand: 4 bytes a token
    assertEquals(tokens * 0.075 / 1e6, row.get("cost_usd").asDouble(), 1e-15);
  }

  @Test
  void cancelJobsIsRefusedForEmbeddingsIssue29() throws Exception {
    Path t = tasks();
    GkrProcess p = embed("--mode", "batch", "--cancel-jobs", t.toString());
    assertEquals(2, p.code(), p.err());
    assertTrue(p.err().contains("--cancel-jobs is for generation"), p.err());
  }

  @Test
  void theErrorLogNamesATextThatFailedIssue29() throws Exception {
    Path t = dir.resolve("long.csv");
    Files.writeString(t, "id,text\nok1,A short text.\nbig," + "x".repeat(4 * 2100) + "\n");
    GkrProcess p = embed(t.toString(), "--error-log", "errors.log");
    assertEquals(1, p.code(), p.out() + p.err());
    assertTrue(p.err().contains("1 of 2 texts embedded"), p.err());
    assertTrue(p.err().contains("errors.log"), p.err());
    String log = Files.readString(dir.resolve("errors.log"));
    assertTrue(log.contains("big") && log.contains("input_too_long"), log);
    assertTrue(log.contains("text failed"), log);
  }

  @Test
  void aCostCapOnAModelWithoutAPriceIsRefusedAtStartIssue29() throws Exception {
    Path t = tasks();
    GkrProcess p = embed("--model", "text-embedding-004", "--max-cost", "1", t.toString());
    assertEquals(2, p.code(), p.err());
    assertTrue(p.err().contains("needs a price"), p.err());
    assertTrue(p.err().contains("text-embedding-004"), p.err());
    assertTrue(!p.err().contains("Exception"), p.err());
  }

  @Test
  void planEmbedCountsEachTextAsARequestAtTheEmbeddingPriceIssue29() throws Exception {
    Path t = tasks();
    GkrProcess p =
        GkrProcess.run(
            dir,
            Map.of("GEMINI_API_KEYS", "k1,k2"),
            "plan",
            "--embed",
            t.toString(),
            "--rpm",
            "60");
    assertEquals(0, p.code(), p.out() + p.err());
    // by hand: 22, 28 and 31 bytes are 6 + 7 + 8 tokens; two keys, each its own project, at 95 %
    assertTrue(p.out().contains("3 tasks over 2 keys in 2 projects"), p.out());
    assertTrue(p.out().contains("rate:      114.0 requests/minute"), p.out());
    assertTrue(p.out().contains("about 21 prompt tokens"), p.out());
    assertTrue(p.out().contains("each text is one request"), p.out());
    assertTrue(p.out().contains("Batch Mode"), p.out());
    assertEquals(
        21 * 0.15 / 1e6,
        dev.gkr.Plan.embeddings(
                dev.gkr.Rotator.keys("k1"),
                List.of(
                    "Wind turns the blades.",
                    "The blades turn a generator.",
                    "Why do turbines stop in storms?"),
                dev.gkr.Embedding.DEFAULT)
            .estimatedCostUsd(),
        1e-15);
  }
}
