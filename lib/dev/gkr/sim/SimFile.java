package dev.gkr.sim;

import java.time.Instant;

/**
 * A file uploaded to the simulator's Files API. It belongs to the project of the key that uploaded
 * it: keys of other projects can neither see it nor use it, as in the real API.
 *
 * @param name {@code files/<id>}
 * @param key the uploading key, masked (last four characters)
 */
public record SimFile(
    String name,
    String uri,
    String project,
    String key,
    String mimeType,
    String displayName,
    long sizeBytes,
    Instant createTime,
    Instant expirationTime) {}
