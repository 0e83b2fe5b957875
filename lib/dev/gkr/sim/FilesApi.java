package dev.gkr.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Files API as Google's SDKs use it: resumable upload ({@code POST /upload/v1beta/files} with
 * {@code X-Goog-Upload-Command: start}, then {@code upload} / {@code upload, finalize} to the
 * returned {@code X-Goog-Upload-URL}), {@code GET files/{id}}, {@code GET files}, {@code DELETE
 * files/{id}}. Files live 48 hours and are visible only to keys of the uploading project.
 * Thread-safe.
 */
final class FilesApi {
  static final Duration LIFETIME = Duration.ofHours(48);
  private static final ObjectMapper JSON = SimJson.MAPPER;
  private static final java.util.regex.Pattern PATH =
      java.util.regex.Pattern.compile("^/(v1beta|v1)/files(?:/([^/:]+))?$");

  /** An upload in progress: its metadata and the bytes received so far. */
  private record Session(
      String project,
      String key,
      String mimeType,
      String displayName,
      ByteArrayOutputStream data) {}

  /** A stored file and its bytes (the simulator counts tokens from them). */
  record Stored(SimFile file, byte[] data) {}

  private final Map<String, Session> sessions = new ConcurrentHashMap<>();
  private final Map<String, Stored> files = new ConcurrentHashMap<>();
  private final List<SimFile> uploads = java.util.Collections.synchronizedList(new ArrayList<>());
  private final AtomicLong ids = new AtomicLong();

  /**
   * A chunk holding these bytes is refused on every try, without an upload status (the SDKs retry
   * such a chunk, then give up): a file the Files API will not take.
   */
  static final byte[] REJECTED =
      "[[sim:upload-rejected]]".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  private static int indexOf(byte[] data, byte[] what) {
    outer:
    for (int i = 0; i + what.length <= data.length; i++) {
      for (int j = 0; j < what.length; j++) if (data[i + j] != what[j]) continue outer;
      return i;
    }
    return -1;
  }

  /** A reply: status, JSON body, extra headers. */
  record Reply(int status, JsonNode body, Map<String, String> headers) {}

  /**
   * The parts of a request with Files API URIs resolved, or the 403 the API gives for a file the
   * project cannot see.
   */
  record Resolved(List<SimPart> parts, Reply denied) {}

  Resolved resolve(List<SimPart> parts, String project) {
    List<SimPart> out = new ArrayList<>(parts.size());
    for (SimPart p : parts) {
      if (p.inline() || !isFilesUri(p.fileUri())) {
        out.add(p);
        continue;
      }
      Stored f = byUri(p.fileUri(), project);
      if (f == null)
        return new Resolved(
            List.of(), denied(p.fileUri().substring(p.fileUri().indexOf("/files/") + 1)));
      out.add(
          new SimPart(
              f.file().mimeType(),
              f.file().sizeBytes(),
              p.fileUri(),
              SimPart.tokensOf(f.file().mimeType(), f.data()),
              SimPart.digestOf(f.data())));
    }
    return new Resolved(out, null);
  }

  /** Dispatches one Files API call of a key of {@code project}. */
  Reply route(HttpExchange ex, String project, String maskedKey, byte[] raw, String uriPath) {
    String method = ex.getRequestMethod();
    String query = ex.getRequestURI().getRawQuery();
    try {
      if (uriPath.startsWith("/upload/") && "POST".equals(method)) {
        String id = uploadId(query);
        return id == null
            ? start(ex, project, maskedKey, raw)
            : chunk(ex, id, raw, "http://" + ex.getRequestHeaders().getFirst("Host"));
      }
      java.util.regex.Matcher m = PATH.matcher(uriPath);
      String name = m.matches() && m.group(2) != null ? "files/" + m.group(2) : null;
      if (m.matches() && "GET".equals(method))
        return name == null ? list(project) : get(name, project);
      if (m.matches() && "DELETE".equals(method) && name != null) return delete(name, project);
      return new Reply(
          404,
          Envelopes.error(404, "NOT_FOUND", "Method not found: " + method + " " + uriPath),
          Map.of());
    } catch (Exception e) {
      return new Reply(
          400,
          Envelopes.error(400, "INVALID_ARGUMENT", "Invalid upload: " + e.getMessage()),
          Map.of());
    }
  }

  /** A chunk of a started upload: its session, not a key, is its credential. */
  static boolean isChunk(HttpExchange ex, String uriPath) {
    return uriPath.startsWith("/upload/")
        && "POST".equals(ex.getRequestMethod())
        && uploadId(ex.getRequestURI().getRawQuery()) != null;
  }

  private static String uploadId(String query) {
    if (query == null) return null;
    for (String q : query.split("&"))
      if (q.startsWith("upload_id=")) return q.substring("upload_id=".length());
    return null;
  }

  /** Whether a path belongs to the Files API. */
  static boolean handles(String uriPath) {
    return uriPath.startsWith("/upload/") || PATH.matcher(uriPath).matches();
  }

  List<SimFile> uploads() {
    synchronized (uploads) {
      return List.copyOf(uploads);
    }
  }

  Reply start(HttpExchange ex, String project, String maskedKey, byte[] body)
      throws java.io.IOException {
    JsonNode meta = body.length == 0 ? JSON.createObjectNode() : JSON.readTree(body);
    JsonNode file = meta.path("file");
    String mime = ex.getRequestHeaders().getFirst("X-Goog-Upload-Header-Content-Type");
    if (mime == null) mime = Request.field(file, "mimeType").asText("application/octet-stream");
    String id = "upload-" + ids.incrementAndGet();
    sessions.put(
        id,
        new Session(
            project,
            maskedKey,
            mime,
            Request.field(file, "displayName").asText(""),
            new ByteArrayOutputStream()));
    String url =
        "http://"
            + ex.getRequestHeaders().getFirst("Host")
            + "/upload/v1beta/files?upload_id="
            + id
            + "&upload_protocol=resumable";
    return new Reply(
        200,
        JSON.createObjectNode(),
        Map.of("X-Goog-Upload-URL", url, "X-Goog-Upload-Status", "active"));
  }

  Reply chunk(HttpExchange ex, String uploadId, byte[] body, String baseUrl) throws Exception {
    Session s = sessions.get(uploadId);
    if (s == null)
      return new Reply(
          404, Envelopes.error(404, "NOT_FOUND", "Upload session not found."), Map.of());
    String command = String.valueOf(ex.getRequestHeaders().getFirst("X-Goog-Upload-Command"));
    long offset =
        Long.parseLong(
            String.valueOf(ex.getRequestHeaders().getFirst("X-Goog-Upload-Offset"))
                .replace("null", "0"));
    if (indexOf(body, REJECTED) >= 0)
      return new Reply(
          400,
          Envelopes.error(400, "INVALID_ARGUMENT", "The file could not be processed."),
          Map.of());
    synchronized (s) {
      if (offset != s.data().size()) {
        return new Reply(
            400,
            Envelopes.error(
                400,
                "INVALID_ARGUMENT",
                "Upload offset " + offset + " does not match " + s.data().size()),
            Map.of());
      }
      s.data().write(body);
    }
    if (!command.contains("finalize"))
      return new Reply(200, JSON.createObjectNode(), Map.of("X-Goog-Upload-Status", "active"));
    sessions.remove(uploadId);
    String id =
        "sim"
            + Long.toString(ids.incrementAndGet(), 36)
            + Long.toString(System.nanoTime() & 0xffffff, 36);
    Instant now = Instant.now();
    byte[] data = s.data().toByteArray();
    SimFile f =
        new SimFile(
            "files/" + id,
            baseUrl + "/v1beta/files/" + id,
            s.project(),
            s.key(),
            s.mimeType(),
            s.displayName(),
            data.length,
            now,
            now.plus(LIFETIME));
    files.put(f.name(), new Stored(f, data));
    uploads.add(f);
    ObjectNode root = JSON.createObjectNode();
    root.set("file", json(f, data));
    return new Reply(200, root, Map.of("X-Goog-Upload-Status", "final"));
  }

  Reply get(String name, String project) throws Exception {
    Stored s = visible(name, project);
    return s == null ? denied(name) : new Reply(200, json(s.file(), s.data()), Map.of());
  }

  Reply delete(String name, String project) {
    Stored s = visible(name, project);
    if (s == null) return denied(name);
    files.remove(name);
    return new Reply(200, JSON.createObjectNode(), Map.of());
  }

  Reply list(String project) throws Exception {
    ObjectNode root = JSON.createObjectNode();
    var arr = root.putArray("files");
    for (Stored s : files.values())
      if (s.file().project().equals(project) && alive(s)) arr.add(json(s.file(), s.data()));
    return new Reply(200, root, Map.of());
  }

  /** The stored file a {@code fileData.fileUri} names, if the project may use it. */
  Stored byUri(String uri, String project) {
    int at = uri.indexOf("/files/");
    return at < 0 ? null : visible(uri.substring(at + 1), project);
  }

  /** A stored file the project may read (batch inputs and results), or null. */
  Stored stored(String name, String project) {
    return visible(name, project);
  }

  /** Stores a file the simulator made itself (a batch's results); returns its name. */
  String store(String project, String maskedKey, String mimeType, String displayName, byte[] data) {
    String id =
        "sim"
            + Long.toString(ids.incrementAndGet(), 36)
            + Long.toString(System.nanoTime() & 0xffffff, 36);
    Instant now = Instant.now();
    SimFile f =
        new SimFile(
            "files/" + id,
            "/v1beta/files/" + id,
            project,
            maskedKey,
            mimeType,
            displayName,
            data.length,
            now,
            now.plus(LIFETIME));
    files.put(f.name(), new Stored(f, data));
    return f.name();
  }

  /** Whether a URI points at this Files API (as opposed to gs:// or another web address). */
  static boolean isFilesUri(String uri) {
    return uri.contains("/v1beta/files/") || uri.contains("/v1/files/");
  }

  static Reply denied(String name) {
    return new Reply(
        403,
        Envelopes.error(
            403,
            "PERMISSION_DENIED",
            "You do not have permission to access the File "
                + name.replace("files/", "")
                + " or it may not exist."),
        Map.of());
  }

  private Stored visible(String name, String project) {
    Stored s = files.get(name);
    return s != null && s.file().project().equals(project) && alive(s) ? s : null;
  }

  private static boolean alive(Stored s) {
    return Instant.now().isBefore(s.file().expirationTime());
  }

  private static ObjectNode json(SimFile f, byte[] data) throws Exception {
    ObjectNode n = JSON.createObjectNode();
    n.put("name", f.name())
        .put("displayName", f.displayName())
        .put("mimeType", f.mimeType())
        .put("sizeBytes", Long.toString(f.sizeBytes()))
        .put("createTime", f.createTime().toString())
        .put("updateTime", f.createTime().toString())
        .put("expirationTime", f.expirationTime().toString())
        .put(
            "sha256Hash",
            Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(data)))
        .put("uri", f.uri())
        .put("state", "ACTIVE")
        .put("source", "UPLOADED");
    return n;
  }
}
