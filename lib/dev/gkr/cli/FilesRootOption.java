package dev.gkr.cli;

import dev.gkr.LocalFiles;
import dev.gkr.internal.request.FileScope;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * Which local files a tasks file may name, a picocli mixin shared by {@code gkr} and {@code gkr
 * plan}: files inside the tasks file's folder, and inside {@code --files-root DIR} when given. The
 * rows are checked against it as they are read (so a refusal names the file and line), and the run
 * checks again ({@link LocalFiles}).
 */
final class FilesRootOption {
  @Option(
      names = "--files-root",
      paramLabel = "DIR",
      description =
          "another folder the tasks' files may come from (default: only the tasks file's folder); / allows every file")
  private Path filesRoot;

  /** The tasks file's folder and the files root, as the engine takes them. */
  LocalFiles files(String tasksFile) throws InputException {
    LocalFiles.Builder b = LocalFiles.builder().filesDir(TaskFields.dirOf(tasksFile));
    root().ifPresent(b::filesRoot);
    return b.build();
  }

  /** The same folders, to check each row as it is read. */
  FileScope scope(String tasksFile) throws InputException {
    return FileScope.of(TaskFields.dirOf(tasksFile), root());
  }

  private Optional<Path> root() throws InputException {
    if (filesRoot == null) return Optional.empty();
    if (!Files.isDirectory(filesRoot))
      throw new InputException(
          "--files-root "
              + filesRoot
              + ": not a folder (give an existing folder the tasks' files may come from)");
    return Optional.of(filesRoot);
  }
}
