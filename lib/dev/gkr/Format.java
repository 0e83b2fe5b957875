package dev.gkr;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A file format for results and tasks, named by its file extension: {@code .csv}, {@code .jsonl},
 * {@code .json}, {@code .parquet}.
 */
public enum Format {
  /** Comma-separated text with a header row (RFC 4180 quoting). */
  CSV("csv"),
  /** JSON Lines: one object per row, typed values ({@code .ndjson} is read as the same). */
  JSONL("jsonl", "ndjson"),
  /** One JSON array of row objects. */
  JSON("json"),
  /**
   * Apache Parquet with typed columns (written and read through DuckDB's JDBC driver, see {@link
   * Results}).
   */
  PARQUET("parquet");

  private final List<String> extensions;

  Format(String... extensions) {
    this.extensions = List.of(extensions);
  }

  /** The usual extension, without the dot: {@code "jsonl"}. */
  public String extension() {
    return extensions.get(0);
  }

  /** The format a file name's extension names (case-insensitive), or empty. */
  public static Optional<Format> of(Path file) {
    String name =
        file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
    int dot = name.lastIndexOf('.');
    if (dot < 0) return Optional.empty();
    String ext = name.substring(dot + 1);
    return Arrays.stream(values()).filter(f -> f.extensions.contains(ext)).findFirst();
  }

  /**
   * A format by its name or extension ({@code csv}, {@code jsonl}, {@code json}, {@code parquet},
   * case-insensitive).
   */
  public static Format parse(String name) {
    String n = name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
    if (n.startsWith(".")) n = n.substring(1);
    for (Format f : values()) if (f.extensions.contains(n)) return f;
    throw new IllegalArgumentException("unknown format '" + name + "'; use " + names());
  }

  /** {@code "csv, jsonl, json or parquet"}: for messages. */
  public static String names() {
    List<String> n = Arrays.stream(values()).map(Format::extension).toList();
    return String.join(", ", n.subList(0, n.size() - 1)) + " or " + n.get(n.size() - 1);
  }
}
