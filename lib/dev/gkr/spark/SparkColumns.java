package dev.gkr.spark;

import dev.gkr.Task;
import dev.gkr.internal.table.ResultTable;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * The columns of gkr on Spark. In: a tasks file's ({@code id}, {@code prompt}, optional {@code
 * system}, {@code config} and {@code files}) plus any metadata columns. Out: {@code id}, {@code
 * prompt}, the results file's columns under the same names in Spark types ({@code success} boolean,
 * token counts and {@code attempts} integers, {@code latency_ms} long, {@code cost_usd} double,
 * {@code json} text), then the other task columns with their own Spark types and values. Immutable.
 */
final class SparkColumns implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final Set<String> REQUEST_COLUMNS = Set.of("system", "config", "files");
  private static final Set<DataType> ID_TYPES =
      Set.of(DataTypes.StringType, DataTypes.IntegerType, DataTypes.LongType);

  private final StructType in;
  private final StructType out;
  private final String[] results; // the result columns that gkr's table supplies

  private SparkColumns(StructType in, StructType out, String[] results) {
    this.in = in;
    this.out = out;
    this.results = results;
  }

  /**
   * Checks the task columns and derives the output's.
   *
   * @throws IllegalArgumentException naming the column that is missing, mistyped or taken
   */
  static SparkColumns of(StructType in, boolean json) {
    Map<String, StructField> byName = new LinkedHashMap<>();
    for (StructField f : in.fields()) byName.put(f.name(), f);
    StructField id = byName.get("id");
    if (id == null || !ID_TYPES.contains(id.dataType()))
      throw new IllegalArgumentException(
          "tasks: gkr on Spark needs an 'id' column (text or a whole number): checkpoints and"
              + " reruns find each task by it; columns are "
              + byName.keySet());
    StructField prompt = byName.get("prompt");
    if (prompt == null || !prompt.dataType().equals(DataTypes.StringType))
      throw new IllegalArgumentException(
          "tasks: needs a text 'prompt' column; columns are " + byName.keySet());
    for (String c : List.of("system", "config")) requireText(byName.get(c));
    StructField files = byName.get("files");
    if (files != null
        && !files.dataType().equals(DataTypes.StringType)
        && !files.dataType().equals(DataTypes.createArrayType(DataTypes.StringType)))
      throw new IllegalArgumentException(
          "tasks: column 'files' must be text or an array of text, was "
              + files.dataType().simpleString());
    List<StructField> fields = new ArrayList<>(List.of(id, prompt));
    List<String> results = new ArrayList<>();
    for (Map.Entry<String, ColumnType> c : ResultTable.columnTypes(json).entrySet()) {
      if (c.getKey().equals("id") || c.getKey().equals("prompt")) continue;
      if (byName.containsKey(c.getKey()))
        throw new IllegalArgumentException(
            "tasks: column '" + c.getKey() + "' has the name of a results column; rename it");
      fields.add(DataTypes.createStructField(c.getKey(), sparkType(c.getValue()), true));
      results.add(c.getKey());
    }
    for (StructField f : in.fields())
      if (!f.name().equals("id") && !f.name().equals("prompt")) fields.add(f);
    return new SparkColumns(in, DataTypes.createStructType(fields), results.toArray(String[]::new));
  }

  private static void requireText(StructField f) {
    if (f != null && !f.dataType().equals(DataTypes.StringType))
      throw new IllegalArgumentException(
          "tasks: column '" + f.name() + "' must be text, was " + f.dataType().simpleString());
  }

  private static DataType sparkType(ColumnType t) {
    if (t == ColumnType.BOOLEAN) return DataTypes.BooleanType;
    if (t == ColumnType.INTEGER) return DataTypes.IntegerType;
    if (t == ColumnType.LONG) return DataTypes.LongType;
    if (t == ColumnType.DOUBLE) return DataTypes.DoubleType;
    return DataTypes.StringType;
  }

  StructType output() {
    return out;
  }

  /** The task id of a row, as text. */
  String id(Row row) {
    Object id = row.get(in.fieldIndex("id"));
    if (id == null) throw new IllegalArgumentException("tasks: a row has no id (null)");
    return id.toString();
  }

  /** The gkr task of a row: its id, prompt and the columns that shape its request. */
  Task task(Row row) {
    String id = id(row);
    String prompt = row.getString(in.fieldIndex("prompt"));
    if (prompt == null) throw new IllegalArgumentException("tasks: task " + id + " has no prompt");
    Map<String, Object> meta = new LinkedHashMap<>();
    for (String c : REQUEST_COLUMNS) {
      if (!List.of(in.fieldNames()).contains(c)) continue;
      int i = in.fieldIndex(c);
      if (row.isNullAt(i)) continue;
      meta.put(c, in.fields()[i].dataType() instanceof ArrayType ? row.getList(i) : row.get(i));
    }
    return new Task(id, prompt, meta);
  }

  /** The output row of task {@code row}, whose result is row {@code r} of gkr's table. */
  Row output(Row row, Table table, int r) {
    Object[] values = new Object[out.size()];
    int o = 0;
    values[o++] = row.get(in.fieldIndex("id"));
    values[o++] = row.get(in.fieldIndex("prompt"));
    for (String name : results) {
      Column<?> c = table.column(name);
      values[o++] = c.isMissing(r) ? null : c.get(r);
    }
    for (int i = 0; i < in.size(); i++) {
      String name = in.fields()[i].name();
      if (!name.equals("id") && !name.equals("prompt")) values[o++] = row.get(i);
    }
    return RowFactory.create(values);
  }
}
