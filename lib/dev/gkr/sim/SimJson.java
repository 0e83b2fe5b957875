package dev.gkr.sim;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The simulator's one Jackson configuration. The simulator stands in for Google's server, so it
 * shares no code with the library it tests; within it, every reader and writer of JSON uses this
 * mapper.
 */
final class SimJson {
  static final ObjectMapper MAPPER = JsonMapper.builder().build();

  private SimJson() {}
}
