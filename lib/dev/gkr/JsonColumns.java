package dev.gkr;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * Spreads the top-level fields of JSON object answers into typed columns, so users filter without
 * parsing.
 */
final class JsonColumns {
  private static final ObjectMapper JSON = Json.MAPPER;

  private JsonColumns() {}

  static Table flatten(Table results) {
    if (!results.columnNames().contains("json")) return results;
    StringColumn json = results.stringColumn("json");
    List<JsonNode> nodes = new ArrayList<>(json.size());
    Map<String, List<JsonNode>> fields = new LinkedHashMap<>();
    for (int i = 0; i < json.size(); i++) {
      String text = json.get(i);
      JsonNode n = null;
      if (text != null && !text.isEmpty()) {
        try {
          n = JSON.readTree(text);
        } catch (Exception e) {
          n = null;
        }
        if (n != null && !n.isObject())
          return results; // not every answer is an object: leave as is
      }
      nodes.add(n);
      if (n != null) n.fieldNames().forEachRemaining(f -> fields.putIfAbsent(f, null));
    }
    for (String f : fields.keySet()) {
      List<JsonNode> values = new ArrayList<>(nodes.size());
      for (JsonNode n : nodes) values.add(n == null ? null : n.get(f));
      String name = results.columnNames().contains(f) ? "json_" + f : f;
      results.addColumns(column(name, values));
    }
    return results;
  }

  private static Column<?> column(String name, List<JsonNode> values) {
    if (all(values, JsonNode::isIntegralNumber)) {
      LongColumn c = LongColumn.create(name);
      values.forEach(
          v -> {
            if (missing(v)) c.appendMissing();
            else c.append(v.asLong());
          });
      return c;
    }
    if (all(values, JsonNode::isNumber)) {
      DoubleColumn c = DoubleColumn.create(name);
      values.forEach(
          v -> {
            if (missing(v)) c.appendMissing();
            else c.append(v.asDouble());
          });
      return c;
    }
    if (all(values, JsonNode::isBoolean)) {
      BooleanColumn c = BooleanColumn.create(name);
      values.forEach(
          v -> {
            if (missing(v)) c.appendMissing();
            else c.append(v.asBoolean());
          });
      return c;
    }
    StringColumn c = StringColumn.create(name);
    values.forEach(v -> c.append(missing(v) ? "" : v.isTextual() ? v.asText() : v.toString()));
    return c;
  }

  private static boolean missing(JsonNode v) {
    return v == null || v.isNull();
  }

  private static boolean all(List<JsonNode> values, java.util.function.Predicate<JsonNode> p) {
    boolean any = false;
    for (JsonNode v : values) {
      if (missing(v)) continue;
      if (!p.test(v)) return false;
      any = true;
    }
    return any;
  }
}
