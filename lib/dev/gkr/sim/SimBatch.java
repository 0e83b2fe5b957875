package dev.gkr.sim;

import java.util.List;

/**
 * A batch job the simulator accepted (Gemini Batch Mode), as tests inspect it: its name ({@code
 * batches/<id>}), project, creating key (masked), model, whether its requests came inline or in an
 * uploaded JSONL file, the key of each request in order, and its state when this snapshot was taken
 * ({@code BATCH_STATE_...}).
 */
public record SimBatch(
    String name,
    String project,
    String key,
    String model,
    boolean fromFile,
    List<String> requestKeys,
    String state) {}
