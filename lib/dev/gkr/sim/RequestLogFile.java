package dev.gkr.sim;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The request log as JSON Lines (time, key as its last four characters, model, status, outcome, and
 * the generationConfig and number of files when the request had them); never a whole key.
 */
final class RequestLogFile implements AutoCloseable {
  private static final ObjectMapper JSON = SimJson.MAPPER;
  private final Writer out;
  private final ReentrantLock lock = new ReentrantLock();

  RequestLogFile(Path path) {
    try {
      this.out =
          Files.newBufferedWriter(
              path, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("request log " + path + ": " + e.getMessage(), e);
    }
  }

  void write(SimRequest r) {
    ObjectNode n = JSON.createObjectNode();
    n.put("time", r.time().toString())
        .put("key", r.key())
        .put("model", r.model())
        .put("status", r.status())
        .put("outcome", r.outcome());
    if (!r.generationConfig().isEmpty()) n.set("generationConfig", r.generationConfig());
    if (!r.parts().isEmpty()) n.put("files", r.parts().size());
    lock.lock();
    try {
      out.write(JSON.writeValueAsString(n) + "\n");
      out.flush();
    } catch (IOException e) {
      // the log is a convenience: a full disk must not break the simulator's answers
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void close() {
    try {
      out.close();
    } catch (IOException ignored) {
      // flushed line by line
    }
  }
}
