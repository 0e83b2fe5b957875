package dev.gkr.internal.store;

import dev.gkr.Task;
import dev.gkr.internal.common.Sha256;
import dev.gkr.internal.config.Settings;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * A digest of everything that shapes a task's answer, so a resumed run redoes tasks whose inputs
 * changed.
 */
public final class TaskHash {
  private TaskHash() {}

  public static String of(Settings s, Task t) {
    return of(s, t, "");
  }

  /**
   * {@code extra}: the task's request beyond the prompt (settings, files' content hashes), see
   * {@link TaskRequest}.
   */
  public static String of(Settings s, Task t, String extra) {
    MessageDigest md = Sha256.digest();
    update(md, s.model());
    update(md, s.systemInstruction().orElse(""));
    update(md, s.temperature().map(String::valueOf).orElse(""));
    update(md, s.json().enabled() ? "json" : "text");
    update(md, s.json().schema().orElse(""));
    update(md, t.prompt());
    if (!extra.isEmpty()) update(md, extra);
    return Sha256.hex(md.digest(), 8);
  }

  /** Hashes of many tasks, computed in parallel (a resume may check a million). */
  public static String[] ofAll(
      Settings s, java.util.List<Task> tasks, java.util.function.IntFunction<String> extra) {
    String[] out = new String[tasks.size()];
    java.util.stream.IntStream.range(0, out.length)
        .parallel()
        .forEach(i -> out[i] = of(s, tasks.get(i), extra.apply(i)));
    return out;
  }

  private static void update(MessageDigest md, String s) {
    md.update(s.getBytes(StandardCharsets.UTF_8));
    md.update((byte) 0);
  }
}
