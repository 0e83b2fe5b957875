package dev.gkr.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A shard's checkpoint under the job's checkpoint directory, on any Hadoop FileSystem. gkr's
 * checkpoint is a local file it appends to; on a local file system (tests, one machine, a shared
 * mount) the shard uses the file in place, so every answer is kept the moment it arrives. On other
 * file systems (HDFS, GCS, S3) the shard's files are copied to a local folder before the run and
 * back after it, also when the run fails: a task attempt that throws keeps its answers; one whose
 * executor dies loses the answers since it started, and its retry sends those again.
 */
final class ShardCheckpoint implements AutoCloseable {
  static final String MANIFEST = "gkr-shards.txt";

  private final java.nio.file.Path local;
  private final FileSystem fs; // null: the file is used in place
  private final Path remoteDir;
  private final java.nio.file.Path tempDir;

  private ShardCheckpoint(
      java.nio.file.Path local, FileSystem fs, Path remoteDir, java.nio.file.Path tempDir) {
    this.local = local;
    this.fs = fs;
    this.remoteDir = remoteDir;
    this.tempDir = tempDir;
  }

  static String fileName(int shard) {
    return "shard-" + shard + ".checkpoint.jsonl";
  }

  /** Opens shard {@code shard}'s checkpoint under {@code dir}. */
  static ShardCheckpoint open(String dir, int shard, Configuration conf) {
    try {
      Path d = new Path(dir);
      FileSystem fs = d.getFileSystem(conf);
      if (isLocal(fs)) {
        java.nio.file.Path folder = java.nio.file.Path.of(fs.makeQualified(d).toUri());
        Files.createDirectories(folder);
        return new ShardCheckpoint(folder.resolve(fileName(shard)), null, null, null);
      }
      java.nio.file.Path temp = Files.createTempDirectory("gkr-shard-" + shard + "-");
      for (FileStatus f : fs.listStatus(d))
        if (f.getPath().getName().startsWith(fileName(shard)))
          try (FSDataInputStream in = fs.open(f.getPath())) {
            Files.copy(in, temp.resolve(f.getPath().getName()));
          }
      return new ShardCheckpoint(temp.resolve(fileName(shard)), fs, d, temp);
    } catch (IOException e) {
      throw new UncheckedIOException(dir + ": cannot open shard " + shard + "'s checkpoint", e);
    }
  }

  /** The local file gkr's run appends to. */
  java.nio.file.Path file() {
    return local;
  }

  /** Copies the shard's files back to a remote directory; nothing for a local one. */
  @Override
  public void close() {
    if (fs == null) return;
    try (var files = Files.list(tempDir)) {
      for (java.nio.file.Path f : files.toList()) {
        try (FSDataOutputStream out = fs.create(new Path(remoteDir, f.getFileName().toString()))) {
          Files.copy(f, out);
        }
        Files.delete(f);
      }
      Files.delete(tempDir);
    } catch (IOException e) {
      throw new UncheckedIOException(remoteDir + ": cannot write the shard's checkpoint back", e);
    }
  }

  /**
   * On the driver: creates the directory and records the sharding in it, or checks that an earlier
   * run recorded the same one; a rerun that would put a task in another shard than the one whose
   * checkpoint holds it would send it again.
   */
  static void claim(String dir, Sharding sharding, Configuration conf) {
    String want = sharding.describe() + "\n";
    try {
      Path d = new Path(dir);
      FileSystem fs = d.getFileSystem(conf);
      fs.mkdirs(d);
      Path m = new Path(d, MANIFEST);
      if (fs.exists(m)) {
        String had;
        try (FSDataInputStream in = fs.open(m)) {
          had = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        if (!had.equals(want))
          throw new IllegalArgumentException(
              dir
                  + ": its checkpoints were written with "
                  + had.strip()
                  + "; this run has "
                  + sharding.describe()
                  + ". Use the same keys, projects and shards to resume, or a new directory");
        return;
      }
      try (FSDataOutputStream out = fs.create(m, false)) {
        out.write(want.getBytes(StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(dir + ": cannot use it as the checkpoint directory", e);
    }
  }

  private static boolean isLocal(FileSystem fs) {
    return "file".equals(fs.getScheme());
  }
}
