package dev.gkr.internal.table;

import dev.gkr.internal.json.RecordBinding;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/** The answered rows of a results table bound to a record type, in row order. */
public final class RecordRows {
  private RecordRows() {}

  public static <R> List<R> of(Table results, Class<R> type) {
    if (!results.columnNames().contains("json"))
      throw new IllegalArgumentException(
          "records("
              + type.getSimpleName()
              + ".class): the table has no json column; run with"
              + " json("
              + type.getSimpleName()
              + ".class)");
    Column<?> json = results.column("json");
    Column<?> success =
        results.columnNames().contains("success") ? results.column("success") : null;
    Column<?> id = results.columnNames().contains("id") ? results.column("id") : null;
    List<R> out = new ArrayList<>();
    for (int i = 0; i < results.rowCount(); i++) {
      if (json.isMissing(i) || json.getString(i).isEmpty()) continue;
      if (success != null && !Boolean.TRUE.equals(success.get(i))) continue;
      try {
        out.add(RecordBinding.bind(type, json.getString(i)));
      } catch (RecordBinding.Mismatch m) {
        throw new IllegalArgumentException(
            "records("
                + type.getSimpleName()
                + ".class): row "
                + (i + 1)
                + (id == null ? "" : " (id " + id.getString(i) + ")")
                + " does not bind: "
                + m.getMessage());
      }
    }
    return Collections.unmodifiableList(out);
  }
}
