package dev.gkr.internal.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import java.util.Optional;

/**
 * Binds a JSON answer to a record type, strictly: the answer must follow the type's schema ({@link
 * SchemaCheck}: no missing required field, no wrong type, no enum value outside the set), and then
 * Jackson must bind it (no {@code null} for a primitive; {@code 2.0} is an {@code int}, {@code 2.5}
 * was refused by the schema). Fields the type does not have are ignored, as the answer keeps them
 * in the {@code json} column. So a bound record is never a record of nulls where the type wants
 * values. Thread-safe.
 */
public final class RecordBinding {
  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .addModule(new Jdk8Module())
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
          .build();

  /** An answer that does not bind: where ({@code $.pros[1]}) and why. */
  public static final class Mismatch extends Exception {
    public Mismatch(String message) {
      super(message);
    }
  }

  private RecordBinding() {}

  /** Why {@code json} does not bind to {@code type}, or empty when it does. */
  public static Optional<String> problem(Class<?> type, String json) {
    try {
      bind(type, json);
      return Optional.empty();
    } catch (Mismatch m) {
      return Optional.of(m.getMessage());
    }
  }

  /** The record {@code json} binds to. */
  public static <R> R bind(Class<R> type, String json) throws Mismatch {
    JsonNode tree;
    try {
      tree = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new Mismatch("$: not JSON (" + e.getOriginalMessage() + ")");
    }
    Optional<String> p = SchemaCheck.problem(RecordSchemas.of(type), tree);
    if (p.isPresent()) throw new Mismatch(p.get());
    try {
      return MAPPER.treeToValue(tree, type);
    } catch (JsonMappingException e) {
      throw new Mismatch(path(e) + ": " + e.getOriginalMessage());
    } catch (JsonProcessingException | IllegalArgumentException e) {
      throw new Mismatch("$: " + e.getMessage());
    }
  }

  /** Jackson's path as {@code $.others[0].amount}. */
  private static String path(JsonMappingException e) {
    StringBuilder sb = new StringBuilder("$");
    for (JsonMappingException.Reference r : e.getPath()) {
      if (r.getFieldName() != null) sb.append('.').append(r.getFieldName());
      else if (r.getIndex() >= 0) sb.append('[').append(r.getIndex()).append(']');
    }
    return sb.toString();
  }
}
