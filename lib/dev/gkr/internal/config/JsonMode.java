package dev.gkr.internal.config;

import java.util.Optional;

/** Whether answers are JSON (asked for, parsed and repaired), and with which JSON Schema. */
public record JsonMode(boolean enabled, Optional<String> schema) {
  public static final JsonMode OFF = new JsonMode(false, Optional.empty());
}
