package dev.gkr;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the local files a task names (its {@code files} entry) are read from, and which folders
 * they may come from. A tasks file is data, often someone else's, and every file it names goes to
 * Gemini; so a relative path is read from {@link #filesDir()} and must stay inside it after
 * normalisation and after following symlinks, and absolute paths or {@code ..} that leave it are
 * refused before any request, unless they lead into {@link #filesRoot()}, one more folder the user
 * allows on purpose ({@code Path.of("/")} allows every file). {@code gs://} and {@code https://}
 * URIs are not local files and are always allowed. Immutable; each setter checks its argument at
 * once:
 *
 * <pre>{@code
 * Rotator.keys(k).files(LocalFiles.in(Path.of("job"))).run(tasks);   // files inside job/
 * Rotator.keys(k)
 *     .files(LocalFiles.builder().filesDir(Path.of("job")).filesRoot(Path.of("/data/scans")).build())
 *     .run(tasks);
 * }</pre>
 *
 * <p>Defaults: files read from, and confined to, the working directory; no other folder.
 */
public final class LocalFiles {
  /** Files read from, and confined to, the working directory. */
  public static final LocalFiles DEFAULT = builder().build();

  private final Path filesDir;
  private final Path filesRoot;

  private LocalFiles(Builder b) {
    this.filesDir = b.filesDir;
    this.filesRoot = b.filesRoot;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Files read from, and confined to, {@code dir}. */
  public static LocalFiles in(Path dir) {
    return builder().filesDir(dir).build();
  }

  /**
   * The folder relative paths are read from and files must stay inside; {@code gkr} passes the
   * tasks file's. Default: the working directory ({@code Path.of("")}, resolved when a run starts).
   */
  public Path filesDir() {
    return filesDir;
  }

  /** One more folder files may come from; empty by default. */
  public Optional<Path> filesRoot() {
    return Optional.ofNullable(filesRoot);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LocalFiles f
        && filesDir.equals(f.filesDir)
        && Objects.equals(filesRoot, f.filesRoot);
  }

  @Override
  public int hashCode() {
    return Objects.hash(filesDir, filesRoot);
  }

  @Override
  public String toString() {
    return "LocalFiles[filesDir="
        + (filesDir.toString().isEmpty() ? "(working directory)" : filesDir)
        + (filesRoot == null ? "" : ", filesRoot=" + filesRoot)
        + "]";
  }

  /** Builds {@link LocalFiles}; each setter checks its argument at once. Not thread-safe. */
  public static final class Builder {
    private Path filesDir = Path.of("");
    private Path filesRoot;

    private Builder() {}

    /** The folder relative paths are read from; must be an existing directory. */
    public Builder filesDir(Path dir) {
      this.filesDir = directory(dir, "filesDir");
      return this;
    }

    /**
     * One more folder files may come from, deliberately: absolute paths and {@code ..} that lead
     * into it are allowed. {@code Path.of("/")} allows every file the user can read.
     */
    public Builder filesRoot(Path root) {
      this.filesRoot = directory(root, "filesRoot");
      return this;
    }

    public LocalFiles build() {
      return new LocalFiles(this);
    }

    private static Path directory(Path dir, String name) {
      Objects.requireNonNull(dir, name);
      if (!Files.isDirectory(dir))
        throw new IllegalArgumentException(name + " must be a directory, was " + dir);
      return dir.toAbsolutePath().normalize();
    }
  }
}
