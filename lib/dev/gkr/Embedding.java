package dev.gkr;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import tech.tablesaw.api.Table;
import tech.tablesaw.columns.Column;

/**
 * How {@link Rotator#embed} embeds texts: the model (default {@code gemini-embedding-001}), the
 * vector size ({@code outputDimensionality}; default the model's own, 3,072), Gemini's task type
 * and the metadata column whose value is each text's title. Immutable; each wither checks its
 * argument at once:
 *
 * <pre>{@code
 * Table t = rotator.embed(texts, Embedding.DEFAULT.dimensions(768).taskType("RETRIEVAL_DOCUMENT"));
 * Map<String, float[]> vectors = Embedding.vectors(t);
 * }</pre>
 *
 * <p>Tablesaw has no vector column: the results table holds each vector in the string column {@code
 * embedding} as a JSON array of numbers; {@link #vectors} turns it into {@code float[]} per id. A
 * vector shortened by {@link #dimensions} is normalised to length 1 by gkr (Gemini returns
 * shortened vectors unnormalised; its full-size vectors already have length 1).
 */
public record Embedding(
    String model,
    Optional<Integer> dimensions,
    Optional<String> taskType,
    Optional<String> titleColumn) {
  /** The defaults above. */
  public static final Embedding DEFAULT =
      new Embedding("gemini-embedding-001", Optional.empty(), Optional.empty(), Optional.empty());

  /** The vector size a model gives when no dimensions are asked: 3,072 for gemini-embedding-001. */
  public static final int NATIVE_DIMENSIONS = 3072;

  public Embedding {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(dimensions, "dimensions");
    Objects.requireNonNull(taskType, "taskType");
    Objects.requireNonNull(titleColumn, "titleColumn");
    dimensions.ifPresent(
        n -> {
          if (n < 1 || n > NATIVE_DIMENSIONS)
            throw new IllegalArgumentException(
                "dimensions must be between 1 and " + NATIVE_DIMENSIONS + ", was " + n);
        });
  }

  public Embedding model(String name) {
    if (name == null || name.isBlank())
      throw new IllegalArgumentException("model must not be blank, was '" + name + "'");
    return new Embedding(name.strip(), dimensions, taskType, titleColumn);
  }

  /** Gemini's {@code outputDimensionality}: 768, 1,536 or 3,072 are recommended. */
  public Embedding dimensions(int n) {
    return new Embedding(model, Optional.of(n), taskType, titleColumn);
  }

  /** {@code RETRIEVAL_DOCUMENT}, {@code RETRIEVAL_QUERY}, {@code SEMANTIC_SIMILARITY}, ... */
  public Embedding taskType(String type) {
    if (type == null || !type.strip().matches("[A-Za-z_]+"))
      throw new IllegalArgumentException(
          "taskType must be one of Gemini's task types such as RETRIEVAL_DOCUMENT, was '"
              + type
              + "'");
    return new Embedding(
        model,
        dimensions,
        Optional.of(type.strip().toUpperCase(java.util.Locale.ROOT)),
        titleColumn);
  }

  /** The metadata column whose value is sent as each text's {@code title}. */
  public Embedding titleColumn(String column) {
    if (column == null || column.isBlank())
      throw new IllegalArgumentException("titleColumn must not be blank, was '" + column + "'");
    return new Embedding(model, dimensions, taskType, Optional.of(column.strip()));
  }

  /**
   * The vector of each row that has one, by id, in table order (failed rows have none).
   *
   * @throws IllegalArgumentException when the table has no {@code id} or {@code embedding} column
   */
  public static Map<String, float[]> vectors(Table results) {
    for (String c : new String[] {"id", "embedding"})
      if (!results.columnNames().contains(c))
        throw new IllegalArgumentException("the table has no '" + c + "' column");
    Column<?> ids = results.column("id");
    Column<?> vs = results.column("embedding");
    Map<String, float[]> out = new LinkedHashMap<>();
    for (int i = 0; i < results.rowCount(); i++) {
      if (vs.isMissing(i)) continue;
      out.put(String.valueOf(ids.get(i)), parse(String.valueOf(vs.get(i))));
    }
    return out;
  }

  private static float[] parse(String json) {
    String inner = json.strip();
    inner = inner.substring(1, inner.length() - 1).strip(); // the cell is gkr's own [a,b,...]
    if (inner.isEmpty()) return new float[0];
    String[] parts = inner.split(",");
    float[] v = new float[parts.length];
    for (int i = 0; i < v.length; i++) v[i] = Float.parseFloat(parts[i].strip());
    return v;
  }
}
