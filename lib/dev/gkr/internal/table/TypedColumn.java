package dev.gkr.internal.table;

import dev.gkr.internal.common.Json;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;
import tech.tablesaw.api.BooleanColumn;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.LongColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.columns.Column;

/**
 * The one rule that types a column from its values: task metadata, the fields of JSON answers and
 * JSON or Parquet files read back. All integers make a long column, all numbers a double column,
 * all booleans a boolean column, anything else text (an object or a list as its JSON); {@code
 * null}s are missing cells and do not vote (a column of nulls only is text).
 */
final class TypedColumn {
  private TypedColumn() {}

  static Column<?> of(String name, List<?> values) {
    if (all(values, v -> v instanceof Integer || v instanceof Long || v instanceof Short))
      return fill(LongColumn.create(name), values, v -> ((Number) v).longValue());
    if (all(values, v -> v instanceof Number))
      return fill(DoubleColumn.create(name), values, v -> ((Number) v).doubleValue());
    if (all(values, v -> v instanceof Boolean))
      return fill(BooleanColumn.create(name), values, v -> v);
    StringColumn text = StringColumn.create(name);
    values.forEach(v -> text.append(v == null ? "" : text(v)));
    return text;
  }

  /** An object or a list (nested task metadata) as JSON text, as a CSV cell holds it. */
  private static String text(Object v) {
    if (!(v instanceof java.util.Map<?, ?> || v instanceof java.util.Collection<?>))
      return v.toString();
    try {
      return Json.MAPPER.writeValueAsString(v);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      return v.toString();
    }
  }

  private static Column<?> fill(Column<?> c, List<?> values, Function<Object, Object> convert) {
    for (Object v : values) c.appendObj(v == null ? null : convert.apply(v));
    return c;
  }

  private static boolean all(List<?> values, Predicate<Object> p) {
    boolean any = false;
    for (Object v : values) {
      if (v == null) continue;
      if (!p.test(v)) return false;
      any = true;
    }
    return any;
  }
}
