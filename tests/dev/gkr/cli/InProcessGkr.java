package dev.gkr.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
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
}
