package dev.gkr.internal.engine;

import dev.gkr.ErrorType;
import dev.gkr.NetworkCause;
import dev.gkr.Slowdown;
import dev.gkr.internal.common.Backoff;
import dev.gkr.internal.common.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.BitSet;
import java.util.Optional;

/**
 * The run-wide throttle. When most of the keys that are answering, across several projects, meet
 * overload (503, other 5xx, timeouts, connection errors) or 429s in one unbroken streak, the cause
 * is not the keys but Google's capacity, a shared IP or a spend cap. Then the whole run waits one
 * shared backoff (1 s, doubling, jittered, at most 30 s) and sends a single probe at a time until
 * an answer comes back clean: a half-open circuit breaker. Without it every slot keeps sending
 * other tasks into the storm, and each task backs off alone; with it a two-minute storm costs the
 * requests in flight when it began plus about ten probes. Answers counted into a storm are no
 * strike against a key and use no task retry. Guarded by the {@link Scheduler}'s lock (or, for an
 * embedding run, by its lock: a "task" there is a pack, named by its first text).
 */
public final class RunThrottle {
  /** How recently a key must have answered to count as active. */
  static final Duration WINDOW = Duration.ofSeconds(10);

  /**
   * Failed answers in a row (no clean answer between) before a storm is considered: high enough
   * that 30 % random 503s on a few keys never add up to one (0.4^12 is about 2e-5), low enough to
   * be met within a second of a real storm.
   */
  static final int MIN_STREAK = 12;

  private static final Duration MAX = Duration.ofSeconds(30);

  /** What a storm is made of, as the monitor names it. */
  enum Cause {
    OVERLOAD("503 storm"),
    SERVER("5xx storm"),
    NETWORK("network errors"),
    QUOTA("429 storm");

    final String label;

    Cause(String label) {
      this.label = label;
    }

    static Cause of(ErrorType t) {
      return switch (t) {
        case OVERLOADED -> OVERLOAD;
        case SERVER_ERROR -> SERVER;
        case TIMEOUT, CONNECTION -> NETWORK;
        default -> QUOTA;
      };
    }
  }

  private final boolean enabled;
  private final int[] projectOf;
  private final int projectCount;
  private final long[] lastAnswer;
  private final BitSet streakKeys = new BitSet();
  private final BitSet streakProjects = new BitSet();
  private final BitSet streakTasks = new BitSet();
  private int streak;
  private int streakQuota;

  private boolean engaged;
  private Cause cause;

  /** The cause of the last failure of the network, named when the storm is one of those. */
  private NetworkCause lastNetwork;

  private String label;
  private long engagedAt;
  private Instant since;
  private long until;
  private long probeSeq;
  private int level;
  private long releasedAt = Long.MIN_VALUE;
  private int episodes;
  private long closedNanos;

  private final Clock clock;

  public RunThrottle(boolean enabled, int[] projectOf, int projectCount, Clock clock) {
    this.enabled = enabled;
    this.clock = clock;
    this.projectOf = projectOf;
    this.projectCount = projectCount;
    this.lastAnswer = new long[projectOf.length];
    java.util.Arrays.fill(lastAnswer, Long.MIN_VALUE);
  }

  public boolean engaged() {
    return engaged;
  }

  /**
   * When a slot may start: 0 (now), the end of the current backoff, or {@link Clock#NO_DEADLINE}
   * while a probe is out.
   */
  public long gate(long now) {
    if (!engaged) return 0;
    if (now < until) return until;
    return probeSeq != 0 ? Clock.NO_DEADLINE : 0;
  }

  /** The request numbered {@code seq} was started while throttled: it is the probe. */
  public void probing(long seq) {
    if (engaged) probeSeq = seq;
  }

  boolean isProbe(long seq) {
    return engaged && probeSeq == seq;
  }

  /** When the last storm ended, or {@link Long#MIN_VALUE}. */
  long releasedAt() {
    return releasedAt;
  }

  /** How long the current storm has lasted, or zero. */
  public long stormNanos(long now) {
    return engaged ? now - engagedAt : 0;
  }

  /**
   * A clean answer (or one the server answered about the task itself): a streak ends; a clean probe
   * ends the storm.
   */
  public void clean(int key, long seq, long now) {
    lastAnswer[key] = now;
    resetStreak();
    if (engaged && probeSeq == seq) release(now);
  }

  /**
   * An answer that says nothing about a storm (a dead or parked key): a probe that got it lets
   * another go.
   */
  public void neutral(int key, long seq, long now) {
    lastAnswer[key] = now;
    if (engaged && probeSeq == seq) probeSeq = 0;
  }

  /**
   * A throttling answer from {@code key} for task {@code task}. Returns true when it belongs to a
   * storm (the throttle was engaged already, or this answer engages it): then it counts against no
   * key and no task. A task that fails again within one streak adds nothing to it: a failure that
   * repeats on the same task (its file, its prompt) is that task's, not the service's state, and
   * only failures of different tasks in a row make a storm.
   */
  public boolean failed(
      int key, int task, long seq, ErrorType type, Optional<Duration> retryDelay, long now) {
    return failed(key, task, seq, type, retryDelay, Optional.empty(), now);
  }

  /**
   * As above, for a failure of the network with its cause (connection refused, unknown host, ...),
   * which the monitor names beside "network errors".
   */
  boolean failed(
      int key,
      int task,
      long seq,
      ErrorType type,
      Optional<Duration> retryDelay,
      Optional<NetworkCause> network,
      long now) {
    lastAnswer[key] = now;
    if (network.isPresent()) lastNetwork = network.get();
    if (!enabled) return false;
    if (engaged) {
      if (probeSeq == seq) {
        probeSeq = 0;
        level++;
        until = now + atLeast(jittered(level), retryDelay).toNanos();
      }
      return true;
    }
    if (streakTasks.get(task)) return false;
    streakTasks.set(task);
    streak++;
    if (Cause.of(type) == Cause.QUOTA) streakQuota++;
    streakKeys.set(key);
    streakProjects.set(projectOf[key]);
    if (streak < MIN_STREAK || !correlated(now)) return false;
    engaged = true;
    cause = streakQuota * 2 > streak ? Cause.QUOTA : Cause.of(type);
    label =
        cause == Cause.NETWORK && lastNetwork != null
            ? cause.label + " (" + lastNetwork.label() + ")"
            : cause.label;
    engagedAt = now;
    since = clock.instant();
    level =
        now - releasedAt < 2 * WINDOW.toNanos()
            ? level
            : 0; // a storm that flares up again resumes its backoff
    until = now + atLeast(jittered(level), retryDelay).toNanos();
    probeSeq = 0;
    resetStreak();
    return true;
  }

  /**
   * Most active keys are in the streak, from at least two projects when two are active; 429s need
   * two projects.
   */
  private boolean correlated(long now) {
    int activeKeys = 0;
    BitSet activeProjects = new BitSet(projectCount);
    for (int k = 0; k < lastAnswer.length; k++) {
      if (lastAnswer[k] != Long.MIN_VALUE && now - lastAnswer[k] <= WINDOW.toNanos()) {
        activeKeys++;
        activeProjects.set(projectOf[k]);
      }
    }
    int projects = activeProjects.cardinality();
    boolean quotaOnly = streakQuota == streak;
    if (quotaOnly && projects < 2)
      return false; // one project's 429s are its own quota: its pacing handles them
    return streakKeys.cardinality() * 2 >= activeKeys
        && streakProjects.cardinality() >= Math.min(2, projects);
  }

  /** Whether the storm is one of overload (503) or other 5xx: one a fallback model may escape. */
  boolean overload() {
    return engaged && (cause == Cause.OVERLOAD || cause == Cause.SERVER);
  }

  /**
   * The run moved to a fallback model ({@link ModelChain}): this storm is over for the model now
   * asked.
   */
  void handOver(long now) {
    if (engaged) release(now);
    resetStreak();
  }

  private void release(long now) {
    engaged = false;
    episodes++;
    closedNanos += now - engagedAt;
    releasedAt = now;
    probeSeq = 0;
  }

  private void resetStreak() {
    streak = 0;
    streakQuota = 0;
    streakKeys.clear();
    streakProjects.clear();
    streakTasks.clear();
  }

  /** The server's RetryInfo delay, when it asks for more than the backoff. */
  private static Duration atLeast(Duration backoff, Optional<Duration> retryDelay) {
    return retryDelay.filter(d -> d.compareTo(backoff) > 0).orElse(backoff);
  }

  /** 1 s at level 0, doubling, at most {@link #MAX}. */
  private static Duration jittered(int level) {
    return Backoff.jittered(level + 1, MAX);
  }

  /**
   * Whether keys other than {@code key} are failing in the current streak too: then a key's 429s in
   * a row are not its own, and it is not parked for them (in fake time a cooled key can meet
   * several before the others answer).
   */
  boolean othersFailing(int key) {
    if (!enabled) return false;
    int n = streakKeys.cardinality();
    return n >= 2 || (n == 1 && !streakKeys.get(key));
  }

  /** For the monitor and the summary. */
  public Slowdown snapshot(long now) {
    long open = engaged ? now - engagedAt : 0;
    Duration total = Duration.ofNanos(closedNanos + open);
    if (!engaged)
      return new Slowdown(
          false,
          cause == null ? "" : label,
          Optional.ofNullable(since),
          Duration.ZERO,
          episodes,
          total);
    Duration wait = Duration.ofNanos(Math.max(0, until - now));
    return new Slowdown(true, label, Optional.of(since), wait, episodes + 1, total);
  }
}
