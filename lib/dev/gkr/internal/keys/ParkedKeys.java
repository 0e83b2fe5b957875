package dev.gkr.internal.keys;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gkr.internal.common.ApiKey;
import dev.gkr.internal.common.Json;
import dev.gkr.internal.common.Sha256;
import dev.gkr.internal.common.SideFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Keys whose daily quota is spent, kept beside the checkpoint until the next midnight Pacific time
 * (when Google resets daily counters), so a rerun the same day does not burn requests on them. A
 * key is stored as a SHA-256 fingerprint, never as itself.
 */
public final class ParkedKeys {
  static final ZoneId PACIFIC = ZoneId.of("America/Los_Angeles");
  private static final ObjectMapper JSON = Json.MAPPER;
  private final Path file;
  private final Map<String, Instant> until = new HashMap<>();
  private final ReentrantLock lock = new ReentrantLock();

  private ParkedKeys(Path file) {
    this.file = file;
  }

  /**
   * The file beside a checkpoint: {@code tasks.checkpoint.jsonl} -> {@code
   * tasks.checkpoint.parked.json}.
   */
  public static Path besides(Path checkpoint) {
    return SideFiles.beside(checkpoint, SideFiles.PARKED_KEYS);
  }

  public static ParkedKeys load(Path file) {
    ParkedKeys p = new ParkedKeys(file);
    if (file != null && Files.exists(file) && !Files.isRegularFile(file)) {
      // checked before the first request: otherwise the first spent daily quota would end the run
      // mid-way
      throw new IllegalStateException(
          file
              + ": cannot write here: it is not a file; gkr keeps the keys whose daily quota"
              + " is spent there, beside the checkpoint: remove or rename it");
    }
    if (file != null && Files.exists(file)) {
      try {
        JsonNode root = JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
        root.path("keys")
            .fields()
            .forEachRemaining(
                e -> p.until.put(e.getKey(), Instant.parse(e.getValue().path("until").asText())));
      } catch (IOException | RuntimeException e) {
        throw new IllegalStateException(
            "parked-keys file "
                + file
                + " is unreadable ("
                + e.getMessage()
                + "); remove it to start afresh");
      }
    }
    return p;
  }

  /** When the key's parking ends, if it is parked now. */
  java.util.Optional<Instant> parkedUntil(ApiKey key, Instant now) {
    lock.lock();
    try {
      Instant u = until.get(fingerprint(key));
      return u != null && u.isAfter(now) ? java.util.Optional.of(u) : java.util.Optional.empty();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Parks the key until the next midnight Pacific and writes the file (replaced whole, atomically).
   */
  Instant park(ApiKey key, Instant now) {
    Instant midnight = nextMidnightPacific(now);
    lock.lock();
    try {
      until.put(fingerprint(key), midnight);
      if (file != null) write();
      return midnight;
    } finally {
      lock.unlock();
    }
  }

  public static Instant nextMidnightPacific(Instant now) {
    ZonedDateTime pt = now.atZone(PACIFIC);
    return pt.toLocalDate().plusDays(1).atStartOfDay(PACIFIC).toInstant();
  }

  private void write() {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode keys = root.putObject("keys");
    until.forEach((fp, u) -> keys.putObject(fp).put("until", u.toString()));
    try {
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.writeString(
          tmp,
          JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root),
          StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot write parked-keys file " + file, e);
    }
  }

  static String fingerprint(ApiKey key) {
    return "sha256:" + Sha256.hex(key.secret(), 12);
  }
}
