package dev.gkr.cli;

import dev.gkr.Rotator;
import dev.gkr.internal.common.ApiKey;
import dev.gkr.internal.common.KeyVariables;
import dev.gkr.internal.common.Numbers;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where keys come from: a keys file (one key a line, optionally followed by {@code project=NAME};
 * {@code #} comments, blank lines and surrounding spaces ignored; repeats dropped with a warning)
 * or the environment. Never from the command line, where {@code ps} would show them.
 */
final class KeysFile {
  private KeysFile() {}

  /** Keys in file order, and the project of those that name one. */
  record Keys(List<String> keys, Map<String, String> projects) {
    /** Groups the keys that name a project into it, projects in the order they first appear. */
    void declareProjects(Rotator r) {
      Map<String, List<String>> byProject = new LinkedHashMap<>();
      projects.forEach((k, p) -> byProject.computeIfAbsent(p, x -> new ArrayList<>()).add(k));
      byProject.forEach((p, ks) -> r.project(p, ks.toArray(String[]::new)));
    }
  }

  static Keys readWithProjects(Path file, PrintStream warn) throws InputException {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new InputException(file + ": cannot read keys file (" + IoReasons.of(e) + ")");
    }
    try {
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
      if (perms.contains(PosixFilePermission.OTHERS_READ)
          || perms.contains(PosixFilePermission.GROUP_READ)) {
        warn.println(
            "gkr: warning: " + file + " can be read by other users; consider chmod 600 " + file);
      }
    } catch (IOException | UnsupportedOperationException ignored) {
      // not a POSIX file system: nothing to check
    }
    LinkedHashSet<String> keys = new LinkedHashSet<>();
    Map<String, String> projects = new LinkedHashMap<>();
    int dups = 0;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      int hash = line.indexOf('#');
      if (hash >= 0) line = line.substring(0, hash);
      line = line.strip();
      if (line.isEmpty()) continue;
      String[] parts = line.split("\\s+");
      String key = parts[0];
      Optional<String> problem = ApiKey.problem(key);
      if (problem.isPresent())
        throw new InputException(
            file + " line " + (i + 1) + ": the key " + problem.get() + "; fix or remove that line");
      if (!keys.add(key)) dups++;
      for (int j = 1; j < parts.length; j++) {
        if (parts[j].startsWith("project=") && parts[j].length() > 8)
          projects.put(key, parts[j].substring(8));
        else
          throw new InputException(
              file
                  + " line "
                  + (i + 1)
                  + ": unexpected '"
                  + parts[j]
                  + "' after the key (only project=NAME may follow)");
      }
    }
    if (dups > 0)
      warn.println(
          "gkr: warning: "
              + file
              + " lists "
              + Numbers.count(dups, "key")
              + " more than once; each is used once");
    if (keys.isEmpty()) throw new InputException(file + ": no keys in the keys file");
    return new Keys(new ArrayList<>(keys), projects);
  }

  /**
   * {@code whatToDo} ends the message when there are none: each command suggests what works for it.
   */
  static List<String> fromEnvironment(Map<String, String> env, String whatToDo)
      throws InputException {
    Optional<String> problem = KeyVariables.problem(env);
    if (problem.isPresent())
      throw new InputException(
          problem.get() + "; fix that variable and run the same command again");
    List<String> keys = KeyVariables.read(env);
    if (!keys.isEmpty()) return keys;
    throw new InputException("no API keys: " + whatToDo);
  }
}
