package dev.gkr;

import dev.gkr.internal.common.Durations;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The structured error log, a listener for {@link Rotator#onEvent}: one greppable line per failed
 * attempt, key change, batch job change and notice, appended to a file, e.g. {@code 2026-01-15
 * 10:30:45 ERROR slot 5 key-1…f3Ab task 17 attempt 1: 429 RESOURCE_EXHAUSTED rate_limited: ... ->
 * back to the queue (no retry used)}. Keys appear only as label and last four characters.
 *
 * <pre>{@code
 * Rotator.keys(k).checkpoint(Path.of("tasks.checkpoint.jsonl"))
 *     .onEvent(ErrorLog.to(Path.of("tasks.errors.log")))
 *     .run(tasks);
 * }</pre>
 *
 * <p>The file is opened on the first line and closed when the run ends (a later run appends).
 * Thread-safe.
 */
public final class ErrorLog implements Consumer<RotatorEvent>, AutoCloseable {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());
  private final Path path;
  private final ReentrantLock lock = new ReentrantLock();
  private Writer out; // guarded by lock; null while closed

  private ErrorLog(Path path) {
    this.path = path;
  }

  /**
   * An error log appending to {@code file}, which (with its folder) is created with the first line.
   *
   * @throws IllegalArgumentException when {@code file} is a directory
   */
  public static ErrorLog to(Path file) {
    Objects.requireNonNull(file, "file");
    if (Files.isDirectory(file))
      throw new IllegalArgumentException(
          "error log " + file + ": it is a directory, not a file; give the path of a file");
    return new ErrorLog(file);
  }

  /** The file it appends to. */
  public Path path() {
    return path;
  }

  @Override
  public void accept(RotatorEvent event) {
    String line = line(event);
    if (line == null) return;
    lock.lock();
    try {
      if (out == null) {
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        out =
            Files.newBufferedWriter(
                path, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      }
      out.write(TIME.format(event.time()) + " " + line + "\n");
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write error log " + path, e);
    } finally {
      lock.unlock();
    }
  }

  /** The line for one event; null for events that are not logged (a task done). */
  private static String line(RotatorEvent event) {
    return switch (event) {
      case RotatorEvent.AttemptFailed f ->
          "ERROR slot "
              + f.slot()
              + " "
              + f.key()
              + " task "
              + f.taskId()
              + " attempt "
              + f.attempt()
              + ": "
              + f.failure().summary()
              + f.failure()
                  .retryDelay()
                  .map(d -> " (retry in " + Durations.format(d) + ")")
                  .orElse("")
              + " -> "
              + f.next();
      case RotatorEvent.KeyCooled c ->
          "WARN  " + c.key() + " cooling down for " + Durations.format(c.delay());
      case RotatorEvent.KeyParked p ->
          "WARN  "
              + p.key()
              + " parked for the rest of the run ("
              + p.reason().code()
              + ": "
              + p.detail()
              + ")";
      case RotatorEvent.KeyRetired r ->
          "ERROR " + r.key() + " retired for the run (" + r.reason().code() + ")";
      case RotatorEvent.Notice n -> "INFO  " + n.message();
      case RotatorEvent.JobUpdated j ->
          "INFO  batch job "
              + j.job()
              + " ("
              + j.key()
              + ") "
              + j.state()
              + ": "
              + j.requests()
              + (j.requests() == 1 ? " request" : " requests")
              + (j.succeeded() + j.failed() > 0
                  ? ", " + j.succeeded() + " succeeded, " + j.failed() + " failed"
                  : "");
      case RotatorEvent.TaskDone d -> null;
    };
  }

  /** Closes the file; the next line opens it again. A run calls this when it ends. */
  @Override
  public void close() {
    lock.lock();
    try {
      if (out != null) out.close();
    } catch (IOException ignored) {
      // flushed line by line
    } finally {
      out = null;
      lock.unlock();
    }
  }

  @Override
  public String toString() {
    return "ErrorLog[" + path + "]";
  }
}
