package dev.gkr.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The command's one Jackson configuration (task files in JSON, JSON Lines and Parquet, per-task
 * fields). The library keeps its own inside its package: the command is one of its clients and
 * reaches only its public API.
 */
final class CliJson {
  static final ObjectMapper MAPPER = JsonMapper.builder().build();

  private CliJson() {}
}
