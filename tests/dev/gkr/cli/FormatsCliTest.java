package dev.gkr.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gkr.Results;
import dev.gkr.sim.Simulator;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * The command's results and tasks in CSV, JSON Lines, JSON and Parquet, and results on standard
 * output (issue 20).
 */
class FormatsCliTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String TYPED_TASKS =
      """
      [{"id": "a1", "prompt": "Explain tides", "n": 7, "x": 0.5, "ok": true, "tag": "sea"},
       {"id": "a2", "prompt": "Explain wind", "n": 12, "x": 2.0, "ok": false, "tag": null}]
      """;

  @TempDir Path dir;

  InProcessGkr gkr(String... args) {
    return InProcessGkr.run(Map.of(), "", args);
  }

  Path write(String name, String content) throws Exception {
    Path p = dir.resolve(name);
    Files.writeString(p, content, StandardCharsets.UTF_8);
    return p;
  }

  @Test
  void jsonTasksGiveJsonLinesResultsWithTheirMetadataTyped() throws Exception {
    Path tasks = write("t.json", TYPED_TASKS);
    InProcessGkr r =
        gkr("--simulate", "--quiet", tasks.toString(), "--out", dir.resolve("r.jsonl").toString());
    assertEquals(0, r.code(), r.err());
    List<String> lines = Files.readAllLines(dir.resolve("r.jsonl"));
    assertEquals(2, lines.size());
    JsonNode first = JSON.readTree(lines.get(0));
    JsonNode second = JSON.readTree(lines.get(1));
    assertEquals("a1", first.get("id").textValue());
    assertTrue(first.get("success").isBoolean() && first.get("success").booleanValue());
    assertTrue(
        first.get("n").isIntegralNumber()
            && first.get("x").isDouble()
            && first.get("ok").isBoolean(),
        first.toString());
    assertEquals(12, second.get("n").intValue());
    assertEquals(2.0, second.get("x").doubleValue());
    assertTrue(
        second.get("tag").isNull(), "a JSON null stays null, not the text 'null': " + second);
    assertEquals(Simulator.answerFor("Explain wind", "", null), second.get("response").textValue());
  }

  @Test
  void parquetResultsReadByDuckDbThenRunAgainAsTasksKeepTheirTypes_issue20() throws Exception {
    Path tasks = write("t.json", TYPED_TASKS);
    Path parquet = dir.resolve("r.parquet");
    InProcessGkr r = gkr("--simulate", "--quiet", tasks.toString(), "--out", parquet.toString());
    assertEquals(0, r.code(), r.err());
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:");
        ResultSet rs =
            db.createStatement()
                .executeQuery(
                    "SELECT typeof(success), typeof(n), typeof(x), typeof(ok), id, n, x, ok, success"
                        + " FROM read_parquet('"
                        + parquet
                        + "') ORDER BY id")) {
      assertTrue(rs.next());
      assertEquals(
          List.of("BOOLEAN", "BIGINT", "DOUBLE", "BOOLEAN"),
          List.of(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)));
      assertEquals("a1", rs.getString("id"));
      assertEquals(7L, rs.getObject("n"));
      assertEquals(0.5, rs.getObject("x"));
      assertEquals(true, rs.getObject("ok"));
      assertEquals(true, rs.getObject("success"));
      assertTrue(rs.next());
      assertFalse(rs.next());
    }

    InProcessGkr again =
        gkr(
            "--simulate",
            "--quiet",
            parquet.toString(),
            "--out",
            dir.resolve("again.jsonl").toString());
    assertEquals(0, again.code(), again.err());
    List<String> lines = Files.readAllLines(dir.resolve("again.jsonl"));
    assertEquals(2, lines.size());
    JsonNode first = JSON.readTree(lines.get(0));
    assertEquals("a1", first.get("id").textValue());
    assertEquals(7, first.get("n").longValue());
    assertTrue(
        first.get("n").isIntegralNumber()
            && first.get("x").isDouble()
            && first.get("ok").isBoolean(),
        first.toString());
    assertEquals("sea", first.get("tag").textValue());
  }

  @Test
  void anUnknownOutExtensionIsRefusedBeforeAnyRequest_issue20() throws Exception {
    Path tasks = write("t.csv", "prompt\nhello\n");
    Path keys = write("keys.txt", "fmt-cli-key-0001\n");
    Files.setPosixFilePermissions(keys, PosixFilePermissions.fromString("rw-------"));
    try (Simulator sim = Simulator.builder().start()) {
      InProcessGkr r =
          gkr(
              "--keys-file",
              keys.toString(),
              "--base-url",
              sim.baseUrl(),
              tasks.toString(),
              "--out",
              dir.resolve("r.xlsx").toString());
      assertEquals(2, r.code());
      assertTrue(
          r.err().contains("r.xlsx")
              && r.err().contains(".csv, .jsonl, .json or .parquet")
              && r.err().contains("--format"),
          r.err());
      InProcessGkr mismatch =
          gkr(
              "--keys-file",
              keys.toString(),
              "--base-url",
              sim.baseUrl(),
              tasks.toString(),
              "--out",
              dir.resolve("r.csv").toString(),
              "--format",
              "jsonl");
      assertEquals(2, mismatch.code());
      assertTrue(mismatch.err().contains("--format"), mismatch.err());
      InProcessGkr badFormat =
          gkr(
              "--keys-file",
              keys.toString(),
              "--base-url",
              sim.baseUrl(),
              tasks.toString(),
              "--out",
              "-",
              "--format",
              "xml");
      assertEquals(2, badFormat.code());
      assertTrue(badFormat.err().contains("unknown format 'xml'"), badFormat.err());
      assertEquals(0, sim.requests().size(), "no request was spent");
    }
    assertFalse(Files.exists(dir.resolve("t.csv.checkpoint.jsonl")));
    assertFalse(Files.exists(dir.resolve("r.xlsx")));
  }

  @Test
  void anExtensionlessOutIsWrittenInTheFormatAsked() throws Exception {
    Path tasks = write("t.txt", "hello\n");
    InProcessGkr r =
        gkr(
            "--simulate",
            "--quiet",
            tasks.toString(),
            "--out",
            dir.resolve("results").toString(),
            "--format",
            "json");
    assertEquals(0, r.code(), r.err());
    JsonNode array = JSON.readTree(dir.resolve("results").toFile());
    assertEquals(1, array.size());
    assertEquals("hello", array.get(0).get("prompt").textValue());
  }

  @Test
  void parquetGoesToStandardOutputToo() throws Exception {
    Path tasks =
        write("t.jsonl", "{\"prompt\": \"one\", \"n\": 1}\n{\"prompt\": \"two\", \"n\": 2}\n");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    GkrCommand cmd =
        new GkrCommand(
            new ByteArrayInputStream(new byte[0]),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
            Map.of());
    assertEquals(
        0,
        GkrCommand.run(
            new String[] {"--simulate", tasks.toString(), "--out", "-", "--format", "parquet"},
            cmd));
    Path copy = dir.resolve("from-stdout.parquet");
    Files.write(copy, out.toByteArray());
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:");
        ResultSet rs =
            db.createStatement()
                .executeQuery("SELECT sum(n), count(*) FROM read_parquet('" + copy + "')")) {
      assertTrue(rs.next(), "standard output held a whole Parquet file and nothing else");
      assertEquals(3, rs.getInt(1));
      assertEquals(2, rs.getInt(2));
    }
  }

  @Test
  void badJsonAndParquetTasksNameTheItemOrRowAndField() throws Exception {
    InProcessGkr json =
        gkr("--simulate", write("t.json", "[{\"prompt\": \"fine\"},\n {\"x\": 1}]").toString());
    assertEquals(2, json.code());
    assertTrue(json.err().contains("t.json item 2: field 'prompt'"), json.err());
    InProcessGkr notArray = gkr("--simulate", write("o.json", "{\"prompt\": \"one\"}").toString());
    assertEquals(2, notArray.code());
    assertTrue(notArray.err().contains("o.json: expected a JSON array"), notArray.err());

    Path parquet = dir.resolve("p.parquet");
    StringColumn prompt = StringColumn.create("prompt", "fine", "", "also fine");
    Results.write(Table.create("p", prompt, DoubleColumn.create("w", 1.0, 2.0, 3.0)), parquet);
    InProcessGkr p = gkr("--simulate", parquet.toString());
    assertEquals(2, p.code());
    assertTrue(p.err().contains("p.parquet row 2: field 'prompt'"), p.err());

    InProcessGkr garbage = gkr("--simulate", write("g.parquet", "not parquet at all").toString());
    assertEquals(2, garbage.code());
    assertTrue(garbage.err().contains("g.parquet: not a readable Parquet file"), garbage.err());
  }

  @Test
  void outDashPipesOnlyTheResultsIntoTheNextCommand_issue20() throws Exception {
    StringBuilder csv = new StringBuilder("id,prompt\n");
    for (int i = 1; i <= 6; i++)
      csv.append("q").append(i).append(",Question number ").append(i).append('\n');
    write("t.csv", csv.toString());
    // JSON Lines into python's json module; the command's status and summary must all go to
    // standard error.
    Piped jsonl =
        pipe(
            "--simulate --monitor-interval 100ms t.csv --out - --format jsonl",
            "python3 -c 'import sys, json; rows = [json.loads(l) for l in sys.stdin]; "
                + "print(len(rows), all(type(r[\"success\"]) is bool and type(r[\"attempts\"]) is int for r in rows), rows[0][\"id\"])'");
    assertEquals("6 True q1", jsonl.out().strip(), jsonl.err());
    assertTrue(
        jsonl.err().contains("results:    standard output (jsonl)"),
        "the summary is on standard error: " + jsonl.err());
    assertOnlyGkrLines(jsonl.err());
    // CSV by default, into python's csv module.
    Piped plain =
        pipe(
            "--simulate --quiet t.csv --out -",
            "python3 -c 'import sys, csv; rows = list(csv.DictReader(sys.stdin)); print(len(rows), rows[5][\"id\"], rows[5][\"success\"])'");
    assertEquals("6 q6 true", plain.out().strip(), plain.err());
    // --quiet still says where things are (issue 14), in one line, on standard error since standard
    // output is the data.
    assertEquals(1, plain.err().strip().lines().count(), plain.err());
    assertTrue(
        plain.err().startsWith("completed: 6 tasks")
            && plain.err().contains("results: standard output (csv)"),
        plain.err());
  }

  @Test
  void aParquetRunPrintsNoLibraryWarnings_issue20() throws Exception {
    write("t.csv", "prompt\nfirst\nsecond\n");
    Piped run = pipe("--simulate --monitor-interval 100ms t.csv --out r.parquet", "cat");
    assertTrue(run.out().contains("results:    r.parquet"), run.out());
    assertOnlyGkrLines(run.out());
    assertOnlyGkrLines(run.err());
    try (Connection db = DriverManager.getConnection("jdbc:duckdb:");
        ResultSet rs =
            db.createStatement()
                .executeQuery(
                    "SELECT count(*) FROM read_parquet('" + dir.resolve("r.parquet") + "')")) {
      assertTrue(rs.next());
      assertEquals(2, rs.getInt(1));
    }
  }

  /**
   * Nothing from the JVM, SLF4J, log4j or Hadoop, and no stack trace: the lines gkr itself prints.
   */
  private static void assertOnlyGkrLines(String text) {
    for (String line : text.split("\n")) {
      for (String noise : List.of("WARNING", "SLF4J", "log4j", "hadoop", "Exception", "\tat ")) {
        assertFalse(line.contains(noise), "not gkr's own line: " + line + "\n---\n" + text);
      }
    }
  }

  record Piped(String out, String err) {}

  /**
   * Runs {@code gkr ARGS | NEXT} through bash as a real process, the JVM started with the options
   * of the JBang script (scripts/gkr.java), and returns what NEXT printed and what gkr printed on
   * standard error.
   */
  private Piped pipe(String gkrArgs, String next) throws Exception {
    List<String> javaOptions = GkrProcess.javaOptions();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String command =
        "'"
            + java
            + "' "
            + String.join(" ", javaOptions)
            + " -cp \"$CP\" "
            + GkrCommand.class.getName()
            + " "
            + gkrArgs
            + " 2> gkr.err | "
            + next;
    ProcessBuilder pb =
        new ProcessBuilder("bash", "-o", "pipefail", "-c", command).directory(dir.toFile());
    pb.environment().put("CP", System.getProperty("java.class.path"));
    Map<String, String> env = new LinkedHashMap<>(pb.environment());
    env.keySet().removeIf(k -> k.startsWith("GEMINI") || k.equals("GOOGLE_API_KEY"));
    pb.environment().clear();
    pb.environment().putAll(env);
    Process p = pb.redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the pipe did not finish");
    String err = Files.readString(dir.resolve("gkr.err"));
    assertEquals(0, p.exitValue(), "pipe failed: " + out + "\n" + err);
    return new Piped(out, err);
  }

  @Test
  void nestedMetadataComesBackNestedInJsonAndAsJsonTextInCsv_issue25() throws Exception {
    Path tasks =
        write(
            "nested.jsonl",
            """
            {"id": "a", "prompt": "Explain tides", "meta": {"src": "x", "tags": [1, 2]}, "list": [1, "b"]}
            {"id": "b", "prompt": "Explain wind", "meta": null, "list": []}
            """);
    InProcessGkr jsonl =
        gkr("--simulate", "--quiet", "--out", dir.resolve("r.jsonl").toString(), tasks.toString());
    assertEquals(0, jsonl.code(), jsonl.err());
    List<String> lines = Files.readAllLines(dir.resolve("r.jsonl"));
    JsonNode a = JSON.readTree(lines.get(0));
    assertTrue(a.get("meta").isObject(), lines.get(0));
    assertEquals(JSON.readTree("{\"src\": \"x\", \"tags\": [1, 2]}"), a.get("meta"));
    assertEquals(JSON.readTree("[1, \"b\"]"), a.get("list"));
    JsonNode b = JSON.readTree(lines.get(1));
    assertTrue(b.get("meta").isNull(), lines.get(1));
    assertEquals(JSON.readTree("[]"), b.get("list"));

    InProcessGkr json =
        gkr("--simulate", "--quiet", "--out", dir.resolve("r.json").toString(), tasks.toString());
    assertEquals(0, json.code(), json.err());
    assertTrue(JSON.readTree(dir.resolve("r.json").toFile()).get(0).get("meta").isObject());

    InProcessGkr csv =
        gkr("--simulate", "--quiet", "--out", dir.resolve("r.csv").toString(), tasks.toString());
    assertEquals(0, csv.code(), csv.err());
    Table t = Results.read(dir.resolve("r.csv"));
    assertEquals("{\"src\":\"x\",\"tags\":[1,2]}", t.stringColumn("meta").get(0));
    assertEquals("[1,\"b\"]", t.stringColumn("list").get(0));
  }
}
