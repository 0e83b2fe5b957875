package dev.gkr.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Default names of the files a run writes beside each other. The error log follows the run's other
 * files: two runs of one tasks file with their own {@code --checkpoint} (or {@code --out}) get
 * their own logs, not one shared {@code <tasks>.errors.log}.
 */
final class OutputNames {
  private OutputNames() {}

  /**
   * {@code --error-log} when not given: {@code run1.checkpoint.jsonl} or {@code run1.jsonl} ->
   * {@code run1.errors.log} beside it; else from {@code --out} ({@code run1.results.csv} or {@code
   * run1.csv} -> {@code run1.errors.log}); else {@code <tasks>.errors.log}. An output that is no
   * file (standard output, a device) names nothing.
   */
  static Path errorLog(Path checkpoint, Path out, String tasksBase) {
    if (checkpoint != null && namesAFile(checkpoint)) return besides(checkpoint, "checkpoint");
    if (out != null && namesAFile(out)) return besides(out, "results");
    return Path.of(tasksBase + ".errors.log");
  }

  private static boolean namesAFile(Path p) {
    return p.getFileName() != null
        && !p.getFileName().toString().equals("-")
        && !(Files.exists(p) && !Files.isRegularFile(p));
  }

  private static Path besides(Path file, String role) {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    if (dot > 0) name = name.substring(0, dot);
    if (name.endsWith("." + role) && name.length() > role.length() + 1)
      name = name.substring(0, name.length() - role.length() - 1);
    return file.resolveSibling(name + ".errors.log");
  }
}
