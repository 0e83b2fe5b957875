package dev.gkr.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Where the keys of {@code gkr} and {@code gkr plan} come from, a picocli mixin: the keys file,
 * else the environment (see {@link KeysFile}). Never the command line, where {@code ps} would show
 * them.
 */
final class KeysOptions {
  @Option(
      names = "--keys-file",
      description = "API keys, one per line, optionally followed by project=NAME (# comments)")
  private Path keysFile;

  /** {@code --keys-file} as given; null when not. */
  Path file() {
    return keysFile;
  }

  /**
   * {@code warn} gets the keys file's warnings; {@code whatToDo} ends the message when there are no
   * keys: each command suggests what works for it.
   */
  KeysFile.Keys read(Map<String, String> env, PrintStream warn, String whatToDo)
      throws InputException {
    return keysFile != null
        ? KeysFile.readWithProjects(keysFile, warn)
        : new KeysFile.Keys(KeysFile.fromEnvironment(env, whatToDo), Map.of());
  }
}
