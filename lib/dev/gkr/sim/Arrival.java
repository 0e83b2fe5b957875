package dev.gkr.sim;

import java.time.Instant;

/**
 * A call of the Gemini methods (generateContent, streamGenerateContent, countTokens, models) as the
 * request log needs it, whatever its answer: when it arrived, with which key and for which model.
 * The one place a {@link SimRequest} is made, so every answer is logged the same way.
 *
 * @param nanos arrival time on the simulator's monotonic clock ({@link System#nanoTime()})
 * @param key the key as sent (masked only in the log)
 * @param model the model named in the path (empty for the models list)
 */
record Arrival(Instant time, long nanos, String key, String model) {

  /** The log entry of this call, asking {@code req}, answered with {@code status}. */
  SimRequest logged(Request req, int status, String outcome) {
    return new SimRequest(
        time,
        nanos,
        SimText.mask(key),
        model,
        req.prompt(),
        status,
        outcome,
        req.system(),
        req.generationConfig(),
        req.safetySettings(),
        req.parts());
  }
}
