package dev.gkr.internal.call;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.google.genai.Client;
import com.google.genai.types.File;
import com.google.genai.types.Part;
import com.google.genai.types.UploadFileConfig;
import dev.gkr.internal.common.ApiKey;
import dev.gkr.internal.common.Json;
import dev.gkr.internal.common.SideFiles;
import dev.gkr.internal.config.Settings;
import dev.gkr.internal.request.Attachment;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Files too big to send inline go through the Files API (the SDK's resumable {@code
 * client.files.upload}), once per project and content: a file belongs to the project of the key
 * that uploaded it, so a key of another project uploads its own copy. Tasks and retries that need
 * the same file wait for the one upload in flight.
 *
 * <p>Uploads are remembered beside the checkpoint ({@code <checkpoint>.uploads.jsonl}) until
 * shortly before they expire (48 h), so a rerun does not upload again; a remembered file is checked
 * with {@code files.get} once per run before it is used, because a deleted or expired file would
 * otherwise fail every task that names it. Thread-safe.
 */
final class FileUploads {
  /**
   * A remembered file is not reused within this margin of its expiry: a long run could outlive it.
   */
  private static final Duration MARGIN = Duration.ofHours(2);

  private static final ObjectMapper JSON = Json.MAPPER;

  private final Settings settings;
  private final Path memory;
  private final Map<String, JsonNode> remembered = new ConcurrentHashMap<>();
  private final Map<String, CompletableFuture<String>> live = new ConcurrentHashMap<>();
  private final ReentrantLock writeLock = new ReentrantLock();

  FileUploads(Settings s) {
    this.settings = s;
    this.memory = s.checkpoint().map(FileUploads::besides).orElse(null);
    if (memory != null && Files.exists(memory)) load();
  }

  /**
   * An upload that failed, with the file's name: {@link Classifier} tells the service's state (5xx,
   * 429, the network) from a failure that is the file's.
   */
  static final class Failed extends RuntimeException {
    private final String file;

    Failed(String file, RuntimeException cause) {
      super("upload of " + file + " failed: " + cause.getMessage(), cause);
      this.file = file;
    }

    String file() {
      return file;
    }
  }

  /** {@code tasks.checkpoint.jsonl} -> {@code tasks.checkpoint.uploads.jsonl}. */
  static Path besides(Path checkpoint) {
    return SideFiles.beside(checkpoint, SideFiles.UPLOADS);
  }

  /**
   * The part naming this file in the key's project, uploading it first when that project has no
   * copy yet.
   */
  Part part(ApiKey key, Client client, Attachment.Local file) throws IOException {
    String project = settings.projectOfKey().get(key.index());
    String id = project + "\u0000" + file.sha256();
    CompletableFuture<String> mine = new CompletableFuture<>();
    CompletableFuture<String> running = live.putIfAbsent(id, mine);
    if (running != null) return Part.fromUri(await(running), file.mimeType());
    try {
      String uri;
      try {
        uri = reusable(client, id).orElseGet(() -> upload(client, project, file));
      } catch (RuntimeException e) {
        throw new Failed(file.path().getFileName().toString(), e);
      }
      mine.complete(uri);
      return Part.fromUri(uri, file.mimeType());
    } catch (RuntimeException e) {
      live.remove(id, mine); // the next task or retry tries again
      mine.completeExceptionally(e);
      throw e;
    }
  }

  private static String await(CompletableFuture<String> f) throws IOException {
    try {
      return f.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while another task uploaded the file");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException re) throw re;
      throw new IOException(e.getCause());
    }
  }

  /**
   * A remembered upload of this project that is still there, checked with one {@code files.get}.
   */
  private Optional<String> reusable(Client client, String id) {
    JsonNode r = remembered.get(id);
    if (r == null
        || Instant.parse(r.path("expires").asText())
            .isBefore(settings.clock().instant().plus(MARGIN))) return Optional.empty();
    try {
      File f = client.files.get(r.path("name").asText(), null);
      return f.uri().or(() -> Optional.of(r.path("uri").asText()));
    } catch (RuntimeException gone) {
      remembered.remove(id);
      return Optional.empty();
    }
  }

  private String upload(Client client, String project, Attachment.Local file) {
    File f =
        client.files.upload(
            file.path().toFile(),
            UploadFileConfig.builder()
                .mimeType(file.mimeType())
                .displayName(file.path().getFileName().toString())
                .build());
    String uri =
        f.uri()
            .orElseThrow(
                () ->
                    new IllegalStateException("the Files API returned no uri for " + file.path()));
    Instant expires =
        f.expirationTime().orElse(settings.clock().instant().plus(Duration.ofHours(48)));
    remember(project, file, f.name().orElse(""), uri, expires);
    return uri;
  }

  private void remember(
      String project, Attachment.Local file, String name, String uri, Instant expires) {
    if (memory == null) return;
    ObjectNode n =
        JSON.createObjectNode()
            .put("project", project)
            .put("sha256", file.sha256())
            .put("name", name)
            .put("uri", uri)
            .put("mime_type", file.mimeType())
            .put("path", file.path().toString())
            .put("expires", expires.toString());
    writeLock.lock();
    try {
      Files.writeString(
          memory,
          n + "\n",
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      // only a convenience: the next run uploads again
    } finally {
      writeLock.unlock();
    }
  }

  private void load() {
    try {
      for (String line : Files.readAllLines(memory, StandardCharsets.UTF_8)) {
        try {
          JsonNode n = JSON.readTree(line);
          if (n != null
              && n.hasNonNull("project")
              && n.hasNonNull("sha256")
              && n.hasNonNull("name")
              && n.hasNonNull("expires")) {
            Instant.parse(n.get("expires").asText());
            remembered.put(n.get("project").asText() + "\u0000" + n.get("sha256").asText(), n);
          }
        } catch (IOException | RuntimeException torn) {
          // a torn or foreign line: that file is uploaded again if needed
        }
      }
    } catch (IOException e) {
      // unreadable memory: upload again
    }
  }
}
