package dev.gkr;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gkr.sim.Simulator;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.Table;

/**
 * Results written as CSV, JSON Lines, JSON and Parquet, each read back by a reader gkr does not
 * write with (issue 20).
 */
class ResultsFormatsTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static Table results;

  @TempDir Path dir;

  /**
   * A real run's table: JSON answers, one failed task, typed metadata (whole numbers, doubles,
   * booleans, text, gaps).
   */
  @BeforeAll
  static void run() {
    try (Simulator sim =
        Simulator.builder().latency(Duration.ofMillis(2), Duration.ofMillis(1)).start()) {
      List<Map<String, Object>> tasks = new ArrayList<>();
      for (int i = 1; i <= 4; i++) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("id", "00" + i);
        t.put("prompt", i == 3 ? "blocked [[sim:safety]]" : "Describe item " + i);
        t.put("n", (long) i * 10);
        t.put("x", i + 0.25);
        t.put("ok", i % 2 == 0);
        t.put("tag", i == 2 ? null : "t" + i);
        tasks.add(t);
      }
      results =
          Rotator.keys("fmt-key-0001", "fmt-key-0002")
              .baseUrl(sim.baseUrl())
              .retries(Retries.builder().maxRetries(0).build())
              .json()
              .run(tasks);
    }
    assertFalse(results.booleanColumn("success").get(2), "task 3 fails (a safety block)");
  }

  @Test
  void jsonLinesHaveTypedValuesAndTheJsonColumnAsAnObject() throws Exception {
    Path file = dir.resolve("r.jsonl");
    Results.write(results, file);
    List<String> lines = Files.readAllLines(file);
    assertEquals(results.rowCount(), lines.size());
    for (int i = 0; i < lines.size(); i++) assertRow(JSON.readTree(lines.get(i)), i);
  }

  @Test
  void jsonIsOneArrayOfTheSameTypedObjects() throws Exception {
    Path file = dir.resolve("r.json");
    Results.write(results, file);
    JsonNode array = JSON.readTree(file.toFile());
    assertTrue(array.isArray());
    assertEquals(results.rowCount(), array.size());
    for (int i = 0; i < array.size(); i++) assertRow(array.get(i), i);
  }

  private static void assertRow(JsonNode o, int i) throws Exception {
    assertEquals(results.columnNames(), iterable(o.fieldNames()), "every column, in order");
    assertEquals(
        results.stringColumn("id").get(i), o.get("id").textValue(), "ids of digits stay text");
    assertTrue(o.get("success").isBoolean());
    assertEquals(results.booleanColumn("success").get(i), o.get("success").booleanValue());
    assertTrue(o.get("attempts").isInt());
    assertTrue(o.get("latency_ms").isIntegralNumber());
    assertEquals(results.longColumn("latency_ms").get(i), o.get("latency_ms").longValue());
    assertEquals(results.longColumn("n").get(i), o.get("n").longValue());
    assertTrue(o.get("n").isIntegralNumber() && o.get("x").isDouble() && o.get("ok").isBoolean());
    assertEquals(results.doubleColumn("x").get(i), o.get("x").doubleValue());
    if (i == 1) assertTrue(o.get("tag").isNull(), "a missing value is null");
    if (results.booleanColumn("success").get(i)) {
      assertTrue(o.get("json").isObject(), "the parsed answer, not a string: " + o.get("json"));
      assertEquals(JSON.readTree(results.stringColumn("json").get(i)), o.get("json"));
      assertTrue(o.get("error_type").isNull());
    } else {
      assertTrue(o.get("json").isNull());
      assertEquals(results.stringColumn("error_type").get(i), o.get("error_type").textValue());
      assertTrue(o.get("prompt_tokens").isNull(), "no tokens for a failed task: null, not 0");
    }
  }

  @Test
  void csvKeepsEveryCharacterOfTheAnswers() throws Exception {
    // Tablesaw's CSV writer trims leading and trailing blanks by default: indented code and final
    // newlines were lost.
    Table t =
        Table.create(
            "t",
            tech.tablesaw.api.StringColumn.create("id", "1", "2"),
            tech.tablesaw.api.StringColumn.create(
                "response", "  indented code\n  line 2\n", "say \"hi\", then stop.  "));
    Path file = dir.resolve("ws.csv");
    Results.write(t, file);
    com.univocity.parsers.csv.CsvParserSettings settings =
        new com.univocity.parsers.csv.CsvParserSettings();
    settings.trimValues(false);
    List<String[]> rows =
        new com.univocity.parsers.csv.CsvParser(settings)
            .parseAll(file.toFile(), StandardCharsets.UTF_8);
    assertEquals(3, rows.size());
    assertArrayEquals(new String[] {"id", "response"}, rows.get(0));
    assertEquals("  indented code\n  line 2\n", rows.get(1)[1]);
    assertEquals("say \"hi\", then stop.  ", rows.get(2)[1]);

    Path results = dir.resolve("r.csv");
    Results.write(ResultsFormatsTest.results, results);
    assertEquals(
        ResultsFormatsTest.results.rowCount() + 1,
        new com.univocity.parsers.csv.CsvParser(settings)
            .parseAll(results.toFile(), StandardCharsets.UTF_8)
            .size());
  }

  @Test
  void parquetHasTypedColumnsAsDuckDbReadsThem() throws Exception {
    Path file = dir.resolve("r.parquet");
    Results.write(results, file);
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:");
        Statement s = db.createStatement()) {
      Map<String, String> types = new LinkedHashMap<>();
      try (ResultSet rs = s.executeQuery("DESCRIBE SELECT * FROM read_parquet('" + file + "')")) {
        while (rs.next()) types.put(rs.getString(1), rs.getString(2));
      }
      assertEquals(results.columnNames(), List.copyOf(types.keySet()));
      assertEquals("VARCHAR", types.get("id"));
      assertEquals("BOOLEAN", types.get("success"));
      assertEquals("INTEGER", types.get("attempts"));
      assertEquals("BIGINT", types.get("latency_ms"));
      assertEquals("BIGINT", types.get("n"));
      assertEquals("DOUBLE", types.get("x"));
      assertEquals("BOOLEAN", types.get("ok"));
      assertEquals("VARCHAR", types.get("json"));
      try (ResultSet rs =
          s.executeQuery(
              "SELECT id, success, latency_ms, n, x, ok, tag, json, prompt_tokens FROM read_parquet('"
                  + file
                  + "')")) {
        for (int i = 0; i < results.rowCount(); i++) {
          assertTrue(rs.next());
          assertEquals(results.stringColumn("id").get(i), rs.getString("id"));
          assertEquals(results.booleanColumn("success").get(i), rs.getObject("success"));
          assertEquals(results.longColumn("latency_ms").get(i), rs.getObject("latency_ms"));
          assertEquals(results.longColumn("n").get(i), rs.getObject("n"));
          assertEquals(results.doubleColumn("x").get(i), rs.getObject("x"));
          assertEquals(results.booleanColumn("ok").get(i), rs.getObject("ok"));
          if (i == 1) assertNull(rs.getObject("tag"), "a missing value is NULL");
          if (results.booleanColumn("success").get(i)) {
            assertEquals(
                JSON.readTree(results.stringColumn("json").get(i)),
                JSON.readTree(rs.getString("json")));
          } else {
            assertNull(rs.getObject("prompt_tokens"));
          }
        }
        assertFalse(rs.next());
      }
    }
  }

  @Test
  void csvAndJsonWriteSmallCostsAsPlainDecimals() throws Exception {
    // Tablesaw writes a double with Double.toString: a cost of 0.000627 was "6.27E-4".
    Table t =
        Table.create(
            "t",
            tech.tablesaw.api.StringColumn.create("id", "1", "2", "3", "4"),
            tech.tablesaw.api.DoubleColumn.create("cost_usd", 0.000627, 0.000000125, 0, 3));
    t.doubleColumn("cost_usd").appendMissing();
    t.stringColumn("id").append("5");
    java.util.Locale before = java.util.Locale.getDefault();
    java.util.Locale.setDefault(java.util.Locale.GERMANY); // a decimal comma must not leak in
    try {
      Path file = dir.resolve("cost.csv");
      Results.write(t, file);
      assertEquals(
          List.of("id,cost_usd", "1,0.000627", "2,0.000000125", "3,0.0", "4,3.0", "5,"),
          Files.readAllLines(file, StandardCharsets.UTF_8));
      Table back = Results.read(file);
      assertEquals(ColumnType.DOUBLE, back.column("cost_usd").type(), "whole values stay doubles");
      Path jsonl = dir.resolve("cost.jsonl");
      Results.write(t, jsonl);
      assertEquals(
          "{\"id\":\"1\",\"cost_usd\":0.000627}",
          Files.readAllLines(jsonl, StandardCharsets.UTF_8).get(0),
          "JSON Lines too");
      assertEquals(0.000125e-3, back.doubleColumn("cost_usd").get(1), 1e-15);
    } finally {
      java.util.Locale.setDefault(before);
    }
  }

  @Test
  void everyFormatReadsBackWithItsTypes() {
    for (Format f : Format.values()) {
      Path file = dir.resolve("back." + f.extension());
      Results.write(results, file);
      Table back = Results.read(file);
      assertEquals(results.columnNames(), back.columnNames(), f.name());
      assertEquals(results.rowCount(), back.rowCount(), f.name());
      assertEquals(ColumnType.BOOLEAN, back.column("success").type(), f.name());
      assertEquals(ColumnType.BOOLEAN, back.column("ok").type(), f.name());
      assertEquals(ColumnType.DOUBLE, back.column("x").type(), f.name());
      assertTrue(
          back.column("n").type() == ColumnType.LONG
              || back.column("n").type() == ColumnType.INTEGER,
          f.name());
      for (int i = 0; i < results.rowCount(); i++) {
        assertEquals(
            results.stringColumn("id").get(i),
            back.column("id").getString(i),
            f.name() + ": ids stay text");
        assertEquals(
            results.longColumn("n").get(i).longValue(),
            ((Number) back.column("n").get(i)).longValue(),
            f.name());
        assertEquals(
            results.stringColumn("response").get(i),
            back.column("response").getString(i),
            f.name());
      }
    }
  }

  @Test
  void aLongAnswerOfDigitsReadsBackAsTextFromEveryFormat() {
    String digits = "4".repeat(5000);
    Table t =
        Table.create(
            "t",
            tech.tablesaw.api.StringColumn.create("id", "007"),
            tech.tablesaw.api.StringColumn.create("response", digits),
            tech.tablesaw.api.StringColumn.create("json", "true story"));
    for (Format f : Format.values()) {
      Path file = dir.resolve("long." + f.extension());
      Results.write(t, file);
      Table back = Results.read(file);
      assertEquals("007", back.column("id").getString(0), f.name());
      assertEquals(digits, back.column("response").getString(0), f.name());
      assertEquals(
          "true story",
          back.column("json").getString(0),
          f.name() + ": text that is not JSON stays text");
    }
  }

  @Test
  void standardOutputGetsTheSameBytesAsAFile() throws Exception {
    for (Format f : List.of(Format.CSV, Format.JSONL, Format.JSON)) {
      Path file = dir.resolve("same." + f.extension());
      Results.write(results, file);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      Results.write(results, f, out);
      assertEquals(Files.readString(file), out.toString(StandardCharsets.UTF_8), f.name());
    }
  }

  @Test
  void anUnknownExtensionIsRefusedNamingTheFormats() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> Results.write(results, dir.resolve("r.xlsx")));
    assertTrue(
        e.getMessage().contains("r.xlsx")
            && e.getMessage().contains(".jsonl")
            && e.getMessage().contains(".parquet"),
        e.getMessage());
    assertFalse(Files.exists(dir.resolve("r.xlsx")));
  }

  @Test
  void formatsAreNamedByExtensionOrName() {
    assertEquals(Format.JSONL, Format.of(Path.of("a/b.NDJSON")).orElseThrow());
    assertEquals(Format.PARQUET, Format.of(Path.of("x.parquet")).orElseThrow());
    assertTrue(Format.of(Path.of("x")).isEmpty());
    assertEquals(Format.JSON, Format.parse(".json"));
    assertThrows(IllegalArgumentException.class, () -> Format.parse("xlsx"));
  }

  private static List<String> iterable(java.util.Iterator<String> it) {
    List<String> out = new ArrayList<>();
    it.forEachRemaining(out::add);
    return out;
  }
}
