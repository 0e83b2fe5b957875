package dev.gkr;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One prompt to send, with a unique id and any metadata columns to carry into the results.
 *
 * <p>Three metadata entries also shape the request: {@code system} (this task's system
 * instruction), {@code config} (a generationConfig JSON object, as text or a map, merged over the
 * batch's) and {@code files} (a path, a JSON array of paths, {@code ;}-separated paths, or a list;
 * {@code gs://} and {@code https://} URIs too; relative paths are read from {@link
 * LocalFiles#filesDir}, and a path that leads out of it, or of {@link LocalFiles#filesRoot}, is
 * refused). They are checked before the first request.
 *
 * @param metadata ordered column name to value; copied, never null
 */
public record Task(String id, String prompt, Map<String, Object> metadata) {

  public Task {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(prompt, "prompt");
    Objects.requireNonNull(metadata, "metadata");
    metadata =
        metadata.isEmpty()
            ? Map.of()
            : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
  }

  public static Task of(String id, String prompt) {
    return new Task(id, prompt, Map.of());
  }
}
