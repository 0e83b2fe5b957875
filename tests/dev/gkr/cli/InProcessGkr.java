package dev.gkr.cli;

import dev.gkr.sim.Simulator;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The {@code gkr} command run in the test's JVM ({@link GkrCommand#run}) with its own standard
 * input, output, error and environment: its exit code and what it printed.
 */
record InProcessGkr(int code, String out, String err) {
  static InProcessGkr run(Map<String, String> env, String stdin, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    GkrCommand cmd =
        new GkrCommand(
            new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8),
            env);
    int code = GkrCommand.run(args, cmd);
    return new InProcessGkr(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  static InProcessGkr run(String... args) {
    return run(Map.of(), "", args);
  }

  /**
   * {@code gkr --quiet --keys-file DIR/keys.txt --base-url SIM ARGS}; the keys file (one {@code
   * key}, owner-only) is written on first use.
   */
  static InProcessGkr onSimulator(Path dir, String key, Simulator sim, String... args)
      throws IOException {
    Path keys = dir.resolve("keys.txt");
    if (!Files.exists(keys)) {
      Files.writeString(keys, key + "\n");
      Files.setPosixFilePermissions(keys, PosixFilePermissions.fromString("rw-------"));
    }
    List<String> all =
        new ArrayList<>(
            List.of("--quiet", "--keys-file", keys.toString(), "--base-url", sim.baseUrl()));
    all.addAll(Arrays.asList(args));
    return run(Map.of(), "", all.toArray(String[]::new));
  }
}
