package dev.gkr.internal.plan;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.gkr.Task;
import dev.gkr.internal.common.Sha256;
import dev.gkr.internal.common.Tokens;
import dev.gkr.internal.config.Settings;
import dev.gkr.internal.cost.CacheChoice;
import dev.gkr.internal.cost.CacheMode;
import dev.gkr.internal.cost.PriceTier;
import dev.gkr.internal.request.TaskRequests;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The explicit context cache decided per project before a run ({@link CacheChoice}): the shared
 * part is the context files and the system instruction (either alone will do; a system instruction
 * alone below the model's minimum is not worth a decision unless the cache is {@code on}); a
 * project's share of the requests is its share of the slots (every key has the same slots, so the
 * scheduler hands out about that share); a cache lives for the plan's wall time plus {@link
 * #MARGIN} (an hour when the plan cannot tell the wall time), and is extended while the run lasts
 * longer.
 */
public final class CachePlan {
  /** Added to the plan's wall time for a cache's TTL: a run rarely ends when the plan says. */
  public static final Duration MARGIN = Duration.ofMinutes(10);

  /** A cache's TTL when the plan cannot tell the wall time (the API's own default). */
  public static final Duration UNKNOWN_WALL_TIME = Duration.ofHours(1);

  private CachePlan() {}

  /**
   * What a cache of these settings holds, as a short hash: the model, the system instruction and
   * every context file's bytes, in order. A cache of another hash is never reused.
   */
  public static String hash(Settings s) {
    java.security.MessageDigest d = Sha256.digest();
    d.update((s.model() + "\n" + s.systemInstruction().orElse("") + "\n").getBytes(UTF_8));
    for (java.nio.file.Path p : s.request().context()) {
      try {
        d.update(java.nio.file.Files.readAllBytes(p));
      } catch (java.io.IOException e) {
        d.update(p.toString().getBytes(UTF_8)); // unreadable now: the request will say so
      }
      d.update((byte) 0);
    }
    return Sha256.hex(d.digest(), 8);
  }

  /**
   * Whether every request starts with a shared part a cache could hold: context files, a system
   * instruction, or both.
   */
  public static boolean shares(Settings s) {
    return !s.request().context().isEmpty() || s.systemInstruction().isPresent();
  }

  /** Decides for {@code requests} requests that start with the shared context. */
  public static List<CacheChoice> of(Settings s, List<Task> tasks, long requests) {
    CacheMode mode = s.request().cache();
    if (!shares(s)) return List.of(); // nothing shared to cache
    long tokens =
        TaskRequests.contextTokens(s)
            + s.systemInstruction().map(t -> Tokens.estimate("", t)).orElse(0L);
    if (s.request().context().isEmpty()
        && mode != CacheMode.ON
        && tokens < dev.gkr.internal.cost.CacheSizes.minimumTokens(s.model()))
      return List.of(); // a short system instruction alone: nothing worth a line in every summary
    Duration ttl =
        PlanRate.of(s, tasks).wallTime().map(w -> w.plus(MARGIN)).orElse(UNKNOWN_WALL_TIME);
    Map<String, Integer> keysOf = new LinkedHashMap<>();
    for (String p : s.projectOfKey()) keysOf.merge(p, 1, Integer::sum);
    int keys = s.projectOfKey().size();
    List<CacheChoice> out = new ArrayList<>();
    for (Map.Entry<String, Integer> p : keysOf.entrySet()) {
      long share = Math.round(requests * (double) p.getValue() / Math.max(1, keys));
      out.add(
          CacheChoice.decide(
              mode,
              s.prices(),
              s.model(),
              s.serviceTier().orElse(PriceTier.STANDARD),
              p.getKey(),
              tokens,
              share,
              ttl));
    }
    return List.copyOf(out);
  }
}
