package dev.gkr.internal.common;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The library's one Jackson configuration, shared by every reader and writer of JSON (checkpoint,
 * parked keys, answers, schemas, error details). An {@link ObjectMapper} is thread-safe once
 * configured, and one instance keeps one set of caches.
 */
public final class Json {
  public static final ObjectMapper MAPPER = JsonMapper.builder().build();

  private Json() {}
}
