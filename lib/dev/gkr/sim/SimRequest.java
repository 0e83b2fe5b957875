package dev.gkr.sim;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/**
 * One request as the simulator saw it. {@code key} is masked (last four characters only), so the
 * log can be printed or written without leaking a key.
 *
 * @param nanos arrival time on the simulator's monotonic clock ({@link System#nanoTime()})
 * @param outcome what the simulator answered: {@code ok}, {@code rate_limited}, {@code
 *     key_invalid}, ...
 * @param system the system instruction's text (empty when none was sent)
 * @param generationConfig the generationConfig received, with snake_case names turned to camelCase
 *     (an empty object when none was sent), so tests can assert that each setting reached the wire;
 *     do not modify it
 * @param safetySettings the safetySettings array received (empty when none)
 * @param parts the files of the request: inline data and file URIs
 */
public record SimRequest(
    Instant time,
    long nanos,
    String key,
    String model,
    String prompt,
    int status,
    String outcome,
    String system,
    JsonNode generationConfig,
    JsonNode safetySettings,
    List<SimPart> parts) {

  public SimRequest {
    parts = List.copyOf(parts);
  }
}
