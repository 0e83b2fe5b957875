package dev.gkr.internal.config;

import java.util.Optional;

/**
 * Whether answers are JSON (asked for, parsed and repaired), with which JSON Schema, and the record
 * type answers must bind to (its schema is then the one generated from it).
 */
public record JsonMode(boolean enabled, Optional<String> schema, Optional<Class<?>> type) {
  public static final JsonMode OFF = new JsonMode(false, Optional.empty(), Optional.empty());

  public JsonMode(boolean enabled, Optional<String> schema) {
    this(enabled, schema, Optional.empty());
  }
}
