package dev.gkr.internal.request;

import java.nio.file.Path;

/**
 * A file a task sends with its prompt: a local file (inline or uploaded) or a URI the API reads
 * itself.
 */
public sealed interface Attachment {

  /**
   * The MIME type sent with the part; empty for a Files API URI, whose type the API already knows.
   */
  String mimeType();

  /**
   * A local file, checked and hashed before the first request.
   *
   * @param upload true when it goes through the Files API (too big to send inline with the rest of
   *     the request)
   */
  record Local(Path path, String mimeType, long size, String sha256, boolean upload)
      implements Attachment {}

  /** A {@code gs://} or {@code https://} URI sent as {@code fileData}. */
  record Remote(String uri, String mimeType) implements Attachment {}
}
