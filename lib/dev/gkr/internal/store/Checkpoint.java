package dev.gkr.internal.store;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gkr.ErrorType;
import dev.gkr.Task;
import dev.gkr.internal.common.Clock;
import dev.gkr.internal.common.Json;
import dev.gkr.internal.common.Numbers;
import dev.gkr.internal.table.TaskResult;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The append-only JSON Lines checkpoint: one line per finished task, written whole and handed to
 * the OS as the task finishes, so a {@code kill -9} loses only the tasks in flight. The file is
 * never rewritten; a later line for the same id wins (a failed task redone on resume).
 */
public final class Checkpoint implements AutoCloseable {
  private static final ObjectMapper JSON = Json.MAPPER;

  /** A finished task as stored. */
  public record Entry(String hash, TaskResult result) {}

  private final Path path;
  private final Map<String, Entry> entries;
  private final OutputStream out;
  private final ReentrantLock lock = new ReentrantLock();
  private final Clock clock;

  private Checkpoint(Path path, Map<String, Entry> entries, OutputStream out, Clock clock) {
    this.path = path;
    this.entries = entries;
    this.out = out;
    this.clock = clock;
  }

  /**
   * Reads what is there and opens for appending. A torn last line (the process died mid-write) is
   * cut off with a notice; any other bad line is an error naming the file and line, and the file is
   * left untouched.
   */
  public static Checkpoint open(Path path, Consumer<String> notices, Clock clock) {
    try {
      Map<String, Entry> entries = new HashMap<>();
      long keep = 0;
      if (Files.exists(path)) keep = read(path, entries, notices);
      Path parent = path.toAbsolutePath().getParent();
      if (parent != null) Files.createDirectories(parent);
      if (Files.exists(path) && keep < Files.size(path)) {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.WRITE)) {
          ch.truncate(keep);
        }
      }
      OutputStream out =
          Files.newOutputStream(path, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      if (keep > 0 && !endsWithNewline(path))
        out.write('\n'); // the last record was whole but its newline was lost
      return new Checkpoint(path, entries, out, clock);
    } catch (IOException e) {
      throw new UncheckedIOException("checkpoint " + path + ": " + e.getMessage(), e);
    }
  }

  private static boolean endsWithNewline(Path path) throws IOException {
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
      java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(1);
      ch.read(b, ch.size() - 1);
      return b.get(0) == '\n';
    }
  }

  /** Returns the byte length of the complete lines. */
  private static long read(Path path, Map<String, Entry> entries, Consumer<String> notices)
      throws IOException {
    long good = 0;
    int lineNo = 0;
    try (BufferedReader r = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
      String line;
      String pending = null;
      int pendingNo = 0;
      while ((line = r.readLine()) != null) {
        if (pending != null) throw corrupt(path, pendingNo, pending);
        lineNo++;
        if (line.isBlank()) {
          good += utf8Length(line) + 1;
          continue;
        }
        try {
          Entry e = parse(line);
          entries.put(e.result().id(), e);
          good += utf8Length(line) + 1;
        } catch (IOException | IllegalStateException e) {
          pending = e.getMessage();
          pendingNo = lineNo;
        }
      }
      if (pending != null) {
        notices.accept(
            "checkpoint "
                + path
                + " line "
                + pendingNo
                + " was cut short (the last run died while writing it); ignored");
      }
    }
    long size = Files.size(path);
    if (good > size) good = size; // last complete line had no trailing newline
    return good;
  }

  private static IllegalStateException corrupt(Path path, int line, String why) {
    String first = why == null ? "" : why.lines().findFirst().orElse("");
    return new IllegalStateException(
        "checkpoint "
            + path
            + " line "
            + line
            + " is corrupt ("
            + first
            + "); fix or remove that line, or use another checkpoint file. Nothing was overwritten.");
  }

  public Map<String, Entry> entries() {
    return entries;
  }

  /**
   * Appends one finished task. Results of an interrupted run (no_usable_keys, cancelled) are not
   * stored.
   */
  public void append(Task task, String hash, TaskResult r) {
    if (r.errorType().equals(ErrorType.NO_USABLE_KEYS.code())
        || r.errorType().equals(ErrorType.CANCELLED.code())) return;
    ObjectNode n = JSON.createObjectNode();
    n.put("id", task.id()).put("hash", hash).put("time", clock.instant().toString());
    n.put("success", r.success())
        .put("response", r.response())
        .put("error_type", r.errorType())
        .put("error", r.error());
    n.put("attempts", r.attempts())
        .put("key", r.key())
        .put("slot", r.slot())
        .put("latency_ms", r.latencyMs());
    n.put("finish_reason", r.finishReason())
        .put("prompt_tokens", r.promptTokens())
        .put("output_tokens", r.outputTokens());
    if (!r.json().isEmpty()) n.put("json", r.json());
    if (!Double.isNaN(r.costUsd()))
      n.putRawValue( // plain and rounded: 0.0000128, not 1.2800000000000001E-5
          "cost_usd",
          new com.fasterxml.jackson.databind.util.RawValue(Numbers.usdPlain(r.costUsd())));
    // absent: unknown, priced again from the tokens on resume
    if (!r.serviceTier().isEmpty()) n.put("service_tier", r.serviceTier());
    if (!r.model().isEmpty()) n.put("model", r.model());
    if (r.success()) { // zeros are left out: a million-line checkpoint is read on every resume
      if (r.thoughtsTokens() > 0) n.put("thoughts_tokens", r.thoughtsTokens());
      if (r.cachedTokens() > 0) n.put("cached_tokens", r.cachedTokens());
      n.put("total_tokens", r.totalTokens());
      if (!r.modelVersion().isEmpty()) n.put("model_version", r.modelVersion());
    }
    n.put("prompt", task.prompt());
    if (!task.metadata().isEmpty()) n.set("metadata", JSON.valueToTree(task.metadata()));
    byte[] line;
    try {
      line = (JSON.writeValueAsString(n) + "\n").getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    lock.lock();
    try {
      out.write(line);
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write checkpoint " + path + ": " + e.getMessage(), e);
    } finally {
      lock.unlock();
    }
  }

  /**
   * One record, read with the streaming parser: resuming a million tasks must take seconds (see the
   * benchmark).
   */
  private static Entry parse(String line) throws IOException {
    String id = null, hash = null;
    TaskResult.Builder r = TaskResult.builder("").costUsd(Double.NaN); // absent cost: unknown
    try (JsonParser p = JSON.getFactory().createParser(line)) {
      if (p.nextToken() != JsonToken.START_OBJECT)
        throw new IllegalStateException("not a JSON object");
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String f = p.currentName();
        JsonToken v = p.nextToken();
        switch (f) {
          case "id" -> id = p.getValueAsString();
          case "hash" -> hash = p.getValueAsString();
          case "success" -> r.success(p.getValueAsBoolean());
          case "response" -> r.response(p.getValueAsString(""));
          case "error_type" -> r.errorType(p.getValueAsString(""));
          case "error" -> r.error(p.getValueAsString(""));
          case "attempts" -> r.attempts(p.getValueAsInt());
          case "key" -> r.key(p.getValueAsString(""));
          case "slot" -> r.slot(p.getValueAsInt());
          case "latency_ms" -> r.latencyMs(p.getValueAsLong());
          case "finish_reason" -> r.finishReason(p.getValueAsString(""));
          case "prompt_tokens" -> r.promptTokens(p.getValueAsInt());
          case "output_tokens" -> r.outputTokens(p.getValueAsInt());
          case "json" -> r.json(p.getValueAsString(""));
          case "thoughts_tokens" -> r.thoughtsTokens(p.getValueAsInt());
          case "cached_tokens" -> r.cachedTokens(p.getValueAsInt());
          case "total_tokens" -> r.totalTokens(p.getValueAsInt());
          case "model_version" -> r.modelVersion(p.getValueAsString(""));
          case "model" -> r.model(p.getValueAsString(""));
          case "cost_usd" -> r.costUsd(p.getValueAsDouble(Double.NaN));
          case "service_tier" -> r.serviceTier(p.getValueAsString(""));
          default -> {
            if (v == JsonToken.START_OBJECT || v == JsonToken.START_ARRAY) p.skipChildren();
          }
        }
      }
      if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null)
        throw new IllegalStateException("not one JSON object");
    }
    if (id == null || hash == null)
      throw new IllegalStateException("not a checkpoint record (no id or hash)");
    return new Entry(hash, r.id(id).build());
  }

  private static int utf8Length(String s) {
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) n++;
      else if (c < 0x800) n += 2;
      else if (Character.isHighSurrogate(c)) {
        n += 4;
        i++;
      } else n += 3;
    }
    return n;
  }

  @Override
  public void close() {
    try {
      out.close();
    } catch (IOException ignored) {
      // every line was already flushed as it was written
    }
  }
}
