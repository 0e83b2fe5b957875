package dev.gkr.internal.request;

import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which local files a task may send. A tasks file is data, often someone else's, and whatever a
 * task names goes to Gemini: so a relative path is read from the files folder (the tasks file's, by
 * default the working directory) and must stay inside it, or inside the one other folder the user
 * allowed (the files root), after normalisation and after following symlinks. Absolute paths and
 * {@code ..} that leave those folders are refused, and so is a missing file outside them (a refusal
 * says nothing about what exists there). URIs ({@code gs://}, {@code https://}) are not local files
 * and are not this class's concern.
 *
 * <p>The check compares real paths (symlinks followed), and the file read later is that real path,
 * so a link inside the folder that points outside is refused, not followed.
 */
public final class FileScope {
  private final Path dir;
  private final List<Path> allowed;

  private FileScope(Path dir, List<Path> allowed) {
    this.dir = dir;
    this.allowed = allowed;
  }

  /** Relative names resolve against {@code dir}; files may come from it or from {@code root}. */
  public static FileScope of(Path dir, Optional<Path> root) {
    Path d = dir.toAbsolutePath().normalize();
    List<Path> allowed = new ArrayList<>();
    allowed.add(real(d));
    root.ifPresent(r -> allowed.add(real(r.toAbsolutePath().normalize())));
    return new FileScope(d, List.copyOf(allowed));
  }

  /** True for names that are URIs the API reads itself, not local files. */
  public static boolean isUri(String name) {
    return name.startsWith("gs://") || name.startsWith("https://") || name.startsWith("http://");
  }

  /**
   * The path to read for {@code name}: its real path when it exists, else where it was looked for.
   *
   * @throws Outside when it leads out of the allowed folders
   */
  public Path resolve(String name) {
    Path lexical;
    try {
      lexical = dir.resolve(name).normalize();
    } catch (InvalidPathException e) {
      throw new IllegalArgumentException(name + " is not a valid path (" + e.getReason() + ")");
    }
    Path real = real(lexical);
    for (Path a : allowed)
      if (real.startsWith(a)) return java.nio.file.Files.exists(real) ? real : lexical;
    throw new Outside(name, allowed);
  }

  /** The real path of {@code p}, or of its nearest existing ancestor with the rest appended. */
  private static Path real(Path p) {
    Path rest = p.getFileSystem().getPath("");
    for (Path at = p; at != null; at = at.getParent()) {
      try {
        return at.toRealPath().resolve(rest).normalize();
      } catch (IOException e) {
        Path name = at.getFileName();
        rest = name == null ? rest : name.resolve(rest);
      }
    }
    return p;
  }

  /** A file outside every allowed folder; the message names it and the folders. */
  public static final class Outside extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    Outside(String name, List<Path> allowed) {
      super(
          name
              + " is outside "
              + (allowed.size() == 1
                  ? "the files folder " + allowed.get(0)
                  : "the folders " + allowed));
    }
  }
}
