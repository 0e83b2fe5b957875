package dev.gkr.internal.table;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gkr.internal.common.Json;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * One column per top-level property of a record type's schema, in its order, typed by the schema
 * rather than by the values (so a run whose answers all failed still has them, typed): integers as
 * long, numbers as double, booleans, text and enums as text, nested values as their JSON text. A
 * failed row's cells are missing. A property named like a fixed column gets a {@code json_} prefix,
 * as in {@link JsonColumns}.
 */
public final class RecordColumns {
  private RecordColumns() {}

  public static Table add(Table results, JsonNode schema) {
    StringColumn json = results.stringColumn("json");
    List<JsonNode> answers = new ArrayList<>(json.size());
    for (int i = 0; i < json.size(); i++) answers.add(parse(json.get(i)));
    for (Iterator<Map.Entry<String, JsonNode>> it = schema.path("properties").fields();
        it.hasNext(); ) {
      Map.Entry<String, JsonNode> p = it.next();
      String name = results.columnNames().contains(p.getKey()) ? "json_" + p.getKey() : p.getKey();
      Column<?> c = empty(name, type(p.getValue()));
      for (JsonNode a : answers) c.appendObj(cell(c, a == null ? null : a.get(p.getKey())));
      results.addColumns(c);
    }
    return results;
  }

  /** The property's type other than {@code null}; {@code ""} when it has none or several. */
  private static String type(JsonNode property) {
    JsonNode t = property.path("type");
    if (t.isTextual()) return t.asText();
    String only = "";
    for (JsonNode x : t) {
      if (x.asText().equals("null")) continue;
      if (!only.isEmpty()) return "";
      only = x.asText();
    }
    return only;
  }

  private static Column<?> empty(String name, String type) {
    return switch (type) {
      case "integer" -> LongColumn.create(name);
      case "number" -> DoubleColumn.create(name);
      case "boolean" -> BooleanColumn.create(name);
      default -> StringColumn.create(name);
    };
  }

  private static Object cell(Column<?> c, JsonNode v) {
    if (v == null || v.isNull()) return c instanceof StringColumn ? "" : null;
    if (c instanceof LongColumn) return v.canConvertToLong() ? v.longValue() : null;
    if (c instanceof DoubleColumn) return v.isNumber() ? v.doubleValue() : null;
    if (c instanceof BooleanColumn) return v.isBoolean() ? v.booleanValue() : null;
    return v.isTextual() ? v.asText() : v.toString();
  }

  private static JsonNode parse(String text) {
    if (text == null || text.isEmpty()) return null;
    try {
      return Json.MAPPER.readTree(text);
    } catch (Exception e) {
      return null;
    }
  }
}
