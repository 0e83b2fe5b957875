package dev.gkr.internal.request;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gkr.Task;
import dev.gkr.internal.common.Json;
import dev.gkr.internal.common.Sha256;
import dev.gkr.internal.config.Settings;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads each task's own fields — {@code system}, {@code config} (JSON over the batch's
 * generationConfig) and {@code files} — and checks them all before the first request: a bad row
 * costs no quota and names the task.
 */
public final class TaskRequests {
  /** The task fields read here (kept in the task's metadata, so they also show in the results). */
  static final String SYSTEM = "system", CONFIG = "config", FILES = "files";

  /**
   * Gemini's limit for a whole request with inline data is 20 MB; base64 and the rest of the
   * request need room.
   */
  public static final long INLINE_LIMIT = 20L * 1024 * 1024 * 3 / 4 - 512 * 1024;

  private static final ObjectMapper JSON = Json.MAPPER;

  private TaskRequests() {}

  public static TaskRequest[] prepare(Settings s, List<Task> tasks) {
    Settings.RequestSettings r = s.request();
    String batchConfig = r.plain() ? "" : GenerationConfig.canonical(r.generationConfig());
    String safety = r.safety().stream().map(x -> x.toJson()).toList().toString();
    Map<Path, Attachment.Local> seen = new HashMap<>();
    FileScope scope = FileScope.of(r.filesDir(), r.filesRoot());
    TaskRequest[] out = new TaskRequest[tasks.size()];
    // Most tasks have nothing of their own: they share one request (a resume may hold a million
    // tasks).
    // The shared context (issue 28) comes first in every request, before the task's own files.
    List<Attachment> context = new ArrayList<>();
    for (Path c : r.context()) context.add(local(c, c.toString(), "context"));
    String sharedExtra =
        r.plain() && context.isEmpty() ? "" : batchConfig + '\u0000' + safety + '\u0000';
    for (Attachment a : context) sharedExtra += '\u0000' + hashPart(a);
    TaskRequest shared =
        new TaskRequest(
            s.systemInstruction(),
            r.generationConfig(),
            false,
            placed(context, r.inlineLimit()),
            sharedExtra);
    for (int i = 0; i < out.length; i++) {
      Task t = tasks.get(i);
      Map<String, Object> meta = t.metadata();
      if (meta.isEmpty()
          || (meta.get(SYSTEM) == null && meta.get(CONFIG) == null && meta.get(FILES) == null)) {
        out[i] = shared;
        continue;
      }
      String where = "task " + (i + 1) + " (id " + t.id() + ")";
      Optional<String> system = text(t.metadata().get(SYSTEM));
      ObjectNode gen = r.generationConfig();
      boolean overridden = system.isPresent();
      Object cfg = t.metadata().get(CONFIG);
      if (cfg != null && !(cfg instanceof String str && str.isBlank())) {
        ObjectNode own =
            cfg instanceof String str
                ? GenerationConfig.parse(str, where + ": config")
                : GenerationConfig.parse(toJson(cfg, where), where + ": config");
        gen = GenerationConfig.merge(gen, own);
        EffectiveConfig.upperCaseThinkingLevel(gen);
        GenerationConfig.requireThinkingNotBoth(gen, where + ": config over the batch's settings");
        overridden = true;
      }
      List<Attachment> files = new ArrayList<>(context);
      files.addAll(named(t.metadata().get(FILES), where, seen, scope));
      files = placed(files, r.inlineLimit());
      Optional<String> effectiveSystem = system.isPresent() ? system : s.systemInstruction();
      String extra = "";
      if (!r.plain() || overridden || !files.isEmpty()) {
        StringBuilder sb =
            new StringBuilder(overridden ? GenerationConfig.canonical(gen) : batchConfig);
        sb.append('\u0000').append(safety).append('\u0000').append(system.orElse(""));
        for (Attachment a : files) sb.append('\u0000').append(hashPart(a));
        extra = sb.toString();
      }
      out[i] = new TaskRequest(effectiveSystem, gen, overridden, files, extra);
    }
    return out;
  }

  private static Optional<String> text(Object o) {
    if (o == null) return Optional.empty();
    String s = o.toString();
    return s.isBlank() ? Optional.empty() : Optional.of(s);
  }

  private static String toJson(Object o, String where) {
    try {
      return JSON.writeValueAsString(o);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          where + ": config cannot be written as JSON (" + e.getMessage() + ")");
    }
  }

  /** One path, a JSON array of paths, a {@code ;}-separated list, or a collection. */
  static List<String> names(Object o, String where) {
    if (o == null) return List.of();
    if (o instanceof Collection<?> c)
      return c.stream().map(String::valueOf).map(String::strip).filter(x -> !x.isEmpty()).toList();
    String s = o.toString().strip();
    if (s.isEmpty()) return List.of();
    if (s.startsWith("[")) {
      try {
        JsonNode n = JSON.readTree(s);
        List<String> out = new ArrayList<>();
        for (JsonNode e : n) {
          if (!e.isTextual())
            throw new IllegalArgumentException(
                where + ": files: expected a JSON array of paths, found " + e);
          if (!e.asText().isBlank()) out.add(e.asText().strip());
        }
        return out;
      } catch (IOException e) {
        throw new IllegalArgumentException(
            where
                + ": files: not a valid JSON array ("
                + e.getMessage().lines().findFirst().orElse("")
                + ")");
      }
    }
    return java.util.Arrays.stream(s.split(";"))
        .map(String::strip)
        .filter(x -> !x.isEmpty())
        .toList();
  }

  /**
   * Input tokens of the shared context files (issue 28), as {@link
   * TaskRequest#estimatedFileTokens()} counts files: part of every request's input.
   */
  public static long contextTokens(Settings s) {
    List<Attachment> context = new ArrayList<>();
    for (Path c : s.request().context()) context.add(local(c, c.toString(), "context"));
    return new TaskRequest(Optional.empty(), s.request().generationConfig(), false, context, "")
        .estimatedFileTokens();
  }

  /** A file as the checkpoint hash sees it: its content and type, or its URI. */
  private static String hashPart(Attachment a) {
    return switch (a) {
      case Attachment.Local l -> "sha256:" + l.sha256() + ":" + l.mimeType();
      case Attachment.Remote u -> u.uri() + ":" + u.mimeType();
    };
  }

  /**
   * The shared context files (issue 28), checked now: each must exist, be a regular file, and not
   * be empty.
   *
   * @throws IllegalArgumentException naming the first file that is not so
   */
  public static List<Path> contextFiles(Path... files) {
    List<Path> out = new ArrayList<>();
    for (Path p : files) {
      if (p == null) throw new IllegalArgumentException("context: a file is null");
      Path abs = p.toAbsolutePath().normalize();
      if (!Files.isRegularFile(abs))
        throw new IllegalArgumentException("context: file " + p + " does not exist");
      out.add(abs);
    }
    return List.copyOf(out);
  }

  private static List<Attachment> named(
      Object value, String where, Map<Path, Attachment.Local> seen, FileScope scope) {
    List<Attachment> out = new ArrayList<>();
    for (String name : names(value, where)) {
      if (FileScope.isUri(name)) {
        if (name.startsWith("http://"))
          throw new IllegalArgumentException(
              where + ": file " + name + ": only https:// and gs:// URIs are accepted");
        boolean filesApi = name.contains("/files/") && name.contains("generativelanguage");
        Optional<String> mime = MimeTypes.ofName(name);
        if (mime.isEmpty() && !filesApi) {
          throw new IllegalArgumentException(
              where
                  + ": file "
                  + name
                  + ": unsupported type (no known extension: png, jpg, webp, heic, pdf, txt, mp3, wav, mp4, ...)");
        }
        out.add(new Attachment.Remote(name, mime.orElse("")));
        continue;
      }
      // Read from the files folder; the metadata keeps the name as written (it is a column).
      Path p;
      try {
        p = scope.resolve(name);
      } catch (FileScope.Outside e) {
        throw new IllegalArgumentException(
            where
                + ": files: "
                + e.getMessage()
                + "; a task may name only files inside it: move the file there, or allow its"
                + " folder with LocalFiles.builder().filesRoot(dir)");
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(where + ": files: " + e.getMessage());
      }
      Attachment.Local a = seen.get(p);
      if (a == null) {
        a = local(p, name, where);
        seen.put(p, a);
      }
      out.add(a);
    }
    return out;
  }

  private static List<Attachment> placed(List<Attachment> out, long limit) {
    // Inline the smallest files while the request stays under the limit; the rest go through the
    // Files API.
    List<Attachment> sorted = new ArrayList<>(out);
    sorted.sort(
        java.util.Comparator.comparingLong(x -> x instanceof Attachment.Local l ? l.size() : 0));
    long inline = 0;
    List<Attachment.Local> upload = new ArrayList<>();
    for (Attachment x : sorted) {
      if (x instanceof Attachment.Local l) {
        if (inline + l.size() <= limit) inline += l.size();
        else upload.add(l);
      }
    }
    if (upload.isEmpty()) return out;
    return out.stream()
        .map(x -> upload.contains(x) ? (Attachment) withUpload((Attachment.Local) x) : x)
        .toList();
  }

  private static Attachment.Local withUpload(Attachment.Local l) {
    return new Attachment.Local(l.path(), l.mimeType(), l.size(), l.sha256(), true);
  }

  private static Attachment.Local local(Path p, String name, String where) {
    if (!Files.exists(p))
      throw new IllegalArgumentException(
          where + ": file " + name + " does not exist (looked at " + p + ")");
    if (!Files.isRegularFile(p))
      throw new IllegalArgumentException(where + ": file " + name + " is not a regular file");
    try (InputStream in = Files.newInputStream(p)) {
      MessageDigest md = Sha256.digest();
      byte[] head = in.readNBytes(4096);
      md.update(head);
      byte[] buf = new byte[1 << 16];
      long size = head.length;
      for (int n; (n = in.read(buf)) > 0; ) {
        md.update(buf, 0, n);
        size += n;
      }
      if (size == 0) throw new IllegalArgumentException(where + ": file " + name + " is empty");
      String mime =
          MimeTypes.of(name, head)
              .orElseThrow(
                  () ->
                      new IllegalArgumentException(
                          where
                              + ": file "
                              + name
                              + ": unsupported type (Gemini reads images png/jpeg/webp/heic, pdf, plain text, common audio and video)"));
      return new Attachment.Local(p, mime, size, Sha256.hex(md), false);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          where + ": file " + name + " cannot be read (" + e.getClass().getSimpleName() + ")");
    }
  }
}
