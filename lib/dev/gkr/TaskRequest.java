package dev.gkr;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;

/**
 * What one task sends besides its prompt, checked before the first request: its system instruction and
 * generationConfig (the batch's, or the task's own {@code system} / {@code config} over them) and its files.
 *
 * @param overridden true when system or config differ from the batch's (the SDK config is then built per task)
 * @param hashExtra canonical text of all this for the checkpoint hash; empty when nothing is beyond the
 *     pre-issue-16 settings, so checkpoints written before keep matching
 */
record TaskRequest(Optional<String> system, ObjectNode generationConfig, boolean overridden, List<Attachment> files,
    String hashExtra) {

  TaskRequest {
    files = List.copyOf(files);
  }
}
