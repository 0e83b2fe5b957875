package dev.gkr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gkr.internal.engine.Timeline;
import dev.gkr.sim.Fault;
import dev.gkr.sim.KeyBehavior;
import dev.gkr.sim.Simulator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import tech.tablesaw.api.Table;

/**
 * Invariants over random mixes of keys, slots, pacing, latency and faults (jqwik). Each try is a
 * real run through the SDK against the simulator, on a fake clock so backoffs and cooldowns cost
 * nothing. The seed is fixed for CI; {@code -Djqwik.tries.default=500} with another seed is the
 * soak run.
 */
class InvariantsTest {
  private static final Set<String> ALLOWED_FAILURES =
      Set.of("prompt_blocked", "server_error", "overloaded", "connection", "no_usable_keys");

  @Property(
      seed =
          "20261129") // tries: 15 from junit-platform.properties; -Djqwik.tries.default=300 for a
  // soak
  void everyRunEndsWithOneRowPerTaskAndKeepsItsPromises(
      @ForAll @IntRange(min = 1, max = 5) int keyCount,
      @ForAll @IntRange(min = 1, max = 3) int slots,
      @ForAll @IntRange(min = 0, max = 50) int everyMs,
      @ForAll @IntRange(min = 0, max = 6) int latencyMs,
      @ForAll @DoubleRange(min = 0, max = 0.3) double faultRate,
      @ForAll long seed) {
    Random random = new Random(seed);
    Simulator.Builder sb =
        Simulator.builder()
            .seed(seed)
            .latency(Duration.ofMillis(latencyMs), Duration.ofMillis(latencyMs / 2))
            .faultRate(Fault.UNAVAILABLE, faultRate)
            .faultRate(Fault.CONNECTION_RESET, faultRate / 3);
    List<String> keys = new ArrayList<>();
    boolean durable = false; // a key that never dies: tasks always have somewhere to go
    for (int i = 0; i < keyCount; i++) {
      String key = String.format("prop-key-%02d-%d", i, Math.abs(seed % 1000));
      keys.add(key);
      int behaviour = random.nextInt(8);
      durable |= behaviour == 2 || behaviour >= 4;
      sb.key(
          key,
          switch (behaviour) {
            case 0 -> KeyBehavior.invalid();
            case 1 -> KeyBehavior.suspendedAfter(random.nextInt(6));
            case 2 -> KeyBehavior.rateLimitedFirst(random.nextInt(5), Duration.ofMillis(30));
            case 3 -> KeyBehavior.dailyLimitReached();
            default -> KeyBehavior.ok();
          });
    }
    List<String> prompts = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      int r = random.nextInt(10);
      prompts.add(
          "property task " + i + (r == 0 ? " [[sim:safety]]" : r == 1 ? " [[sim:emptyx1]]" : ""));
    }
    int maxRetries = 2;
    int transientRetries = 4;
    try (Simulator sim = sb.start()) {
      Rotator r =
          Rotator.keys(keys)
              .slots(slots)
              .every(Duration.ofMillis(everyMs))
              .baseUrl(sim.baseUrl())
              .retries(
                  Retries.builder()
                      .maxRetries(maxRetries)
                      .transientRetries(transientRetries)
                      .build())
              .clock(new FakeClock());
      Table t =
          assertTimeoutPreemptively(
              Duration.ofSeconds(60), () -> r.run(prompts), "the run did not end");

      // One final row per task, each with its own answer or an allowed failure.
      assertEquals(prompts.size(), t.rowCount());
      assertEquals(prompts.size(), new HashSet<>(t.stringColumn("id").asList()).size());
      for (int i = 0; i < prompts.size(); i++) {
        if (t.booleanColumn("success").get(i)) {
          assertEquals(
              Simulator.answerFor(prompts.get(i), "", null), t.stringColumn("response").get(i));
        } else {
          String type = t.stringColumn("error_type").get(i);
          assertTrue(ALLOWED_FAILURES.contains(type), type);
          // Each failure has its cause in this try: a blocked prompt, faults, or no key left.
          if (type.equals("prompt_blocked"))
            assertTrue(prompts.get(i).contains("[[sim:safety]]"), prompts.get(i) + " blocked");
          if (Set.of("server_error", "overloaded", "connection").contains(type))
            assertTrue(faultRate > 0, prompts.get(i) + " failed " + type + " without faults");
          if (type.equals("no_usable_keys"))
            assertTrue(!durable, prompts.get(i) + ": no usable key though one never dies");
        }
      }
      long ok = t.booleanColumn("success").countTrue();
      long blockable = prompts.stream().filter(p -> p.contains("[[sim:safety]]")).count();
      if (durable && faultRate == 0)
        assertEquals(prompts.size() - blockable, ok, "with a key that never dies and no faults");
      if (durable)
        assertTrue(ok > 0, "a run with a key that never dies must answer some task: " + t.print());

      List<Timeline.Entry> entries = r.timelineEntries();
      // No slot starts two requests closer than `every` (on the run's clock).
      Map<Integer, List<Timeline.Entry>> bySlot = new HashMap<>();
      for (Timeline.Entry e : entries)
        bySlot.computeIfAbsent(e.slot(), k -> new ArrayList<>()).add(e);
      for (List<Timeline.Entry> es : bySlot.values()) {
        es.sort((a, b) -> Long.compare(a.startSeq(), b.startSeq()));
        for (int i = 1; i < es.size(); i++) {
          assertTrue(
              es.get(i).startNanos() - es.get(i - 1).startNanos()
                  >= Duration.ofMillis(everyMs).toNanos(),
              "pacing broken on slot " + es.get(i).slot());
        }
      }
      // No request on a key after its first dead-key answer was processed (only those already in
      // flight).
      Map<String, Long> retiredAt = new HashMap<>();
      for (Timeline.Entry e : entries) {
        if (Set.of("key_invalid", "key_suspended", "permission_denied", "daily_limit")
            .contains(e.outcome())) {
          retiredAt.merge(e.key(), e.endSeq(), Math::min);
        }
      }
      for (Timeline.Entry e : entries) {
        Long at = retiredAt.get(e.key());
        assertTrue(
            at == null || e.startSeq() < at, "request on " + e.key() + " after it was retired");
      }
      // Attempts stay within the documented bounds.
      Map<String, int[]> perTask = new HashMap<>();
      for (Timeline.Entry e : entries) {
        int[] c = perTask.computeIfAbsent(e.taskId(), k -> new int[2]);
        ErrorType type =
            e.outcome().equals("ok") ? null : ErrorType.valueOf(e.outcome().toUpperCase());
        if (type != null && type.kind() == ErrorType.Kind.TASK) c[0]++;
        if (type != null && type.kind() == ErrorType.Kind.TRANSIENT) c[1]++;
      }
      for (Map.Entry<String, int[]> c : perTask.entrySet()) {
        assertTrue(
            c.getValue()[0] <= maxRetries + 1,
            "task " + c.getKey() + " had " + c.getValue()[0] + " task errors");
        assertTrue(
            c.getValue()[1] <= transientRetries + 1,
            "task " + c.getKey() + " had " + c.getValue()[1] + " transient errors");
      }
    }
  }
}
