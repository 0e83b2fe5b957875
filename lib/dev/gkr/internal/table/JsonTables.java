package dev.gkr.internal.table;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gkr.internal.common.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tech.tablesaw.api.Table;

/**
 * Reads JSON Lines or a JSON array of objects into a table whose columns are typed from their
 * values, the same way task metadata is typed in the results: all integers, all numbers, all
 * booleans, else text. Nested values become their JSON text.
 */
public final class JsonTables {
  private static final ObjectMapper JSON = Json.MAPPER;

  private JsonTables() {}

  public static Table readLines(String name, InputStream in) {
    List<Map<String, Object>> rows = new ArrayList<>();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      int lineNo = 0;
      while ((line = r.readLine()) != null) {
        lineNo++;
        if (line.isBlank()) continue;
        rows.add(object(parse(line, name + " line " + lineNo), name + " line " + lineNo));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(name + ": cannot read (" + e.getMessage() + ")", e);
    }
    return table(name, rows);
  }

  public static Table readArray(String name, InputStream in) {
    JsonNode root;
    try {
      root = JSON.readTree(in);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalArgumentException(
          name + ": not valid JSON (" + e.getOriginalMessage() + ")");
    } catch (IOException e) {
      throw new UncheckedIOException(name + ": cannot read (" + e.getMessage() + ")", e);
    }
    if (root == null || !root.isArray())
      throw new IllegalArgumentException(name + ": expected a JSON array of objects");
    List<Map<String, Object>> rows = new ArrayList<>(root.size());
    for (int i = 0; i < root.size(); i++) rows.add(object(root.get(i), name + " item " + (i + 1)));
    return table(name, rows);
  }

  private static JsonNode parse(String line, String where) {
    try {
      return JSON.readTree(line);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          where + ": not valid JSON (" + e.getClass().getSimpleName() + ")");
    }
  }

  private static Map<String, Object> object(JsonNode n, String where) {
    if (n == null || !n.isObject())
      throw new IllegalArgumentException(where + ": expected a JSON object");
    Map<String, Object> row = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> f = it.next();
      row.put(f.getKey(), value(f.getValue()));
    }
    return row;
  }

  /** A JSON value as the Java value a typed column holds; {@code null} for null. */
  static Object value(JsonNode v) {
    if (v == null || v.isNull()) return null;
    // beyond a long: its exact digits in a text column, a double in a number column
    if (v.isIntegralNumber())
      return v.canConvertToLong() ? (Object) v.asLong() : v.bigIntegerValue();
    if (v.isNumber()) return v.asDouble();
    if (v.isBoolean()) return v.asBoolean();
    if (v.isTextual()) return v.asText();
    return v.toString();
  }

  private static Table table(String name, List<Map<String, Object>> rows) {
    Map<String, List<Object>> columns = new LinkedHashMap<>();
    for (Map<String, Object> row : rows) row.keySet().forEach(k -> columns.putIfAbsent(k, null));
    Table t = Table.create(name);
    for (String c : columns.keySet()) {
      List<Object> values = new ArrayList<>(rows.size());
      for (Map<String, Object> row : rows) values.add(row.get(c));
      t.addColumns(TypedColumn.of(c, values));
    }
    return t;
  }
}
