package dev.gkr.internal.store;

import dev.gkr.Durations;
import dev.gkr.Outcome;
import dev.gkr.RotatorEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * The structured error log: one greppable line per failed attempt and per key change, e.g. {@code
 * 2026-01-15 10:30:45 ERROR slot 5 key-1…f3Ab task 17 attempt 1: 429 RESOURCE_EXHAUSTED
 * rate_limited: ... -> back to the queue (no retry used)}. Keys appear only as label and last four
 * characters.
 */
public final class ErrorLog implements Consumer<RotatorEvent>, AutoCloseable {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());
  private final Path path;
  private final Writer out;
  private final ReentrantLock lock = new ReentrantLock();

  private ErrorLog(Path path, Writer out) {
    this.path = path;
    this.out = out;
  }

  public static ErrorLog open(Path path) {
    try {
      Path parent = path.toAbsolutePath().getParent();
      if (parent != null) Files.createDirectories(parent);
      return new ErrorLog(
          path,
          Files.newBufferedWriter(
              path, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND));
    } catch (IOException e) {
      throw new UncheckedIOException("error log " + path + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void accept(RotatorEvent event) {
    String line =
        switch (event) {
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
                  + retryHint(f.failure())
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
    if (line == null) return;
    lock.lock();
    try {
      out.write(TIME.format(event.time()) + " " + line + "\n");
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write error log " + path, e);
    } finally {
      lock.unlock();
    }
  }

  private static String retryHint(Outcome.Failure f) {
    return f.retryDelay().map(d -> " (retry in " + Durations.format(d) + ")").orElse("");
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
