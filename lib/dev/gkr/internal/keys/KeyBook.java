package dev.gkr.internal.keys;

import dev.gkr.ErrorType;
import dev.gkr.KeyStats;
import dev.gkr.KeyStatus;
import dev.gkr.Limits;
import dev.gkr.RotatorEvent;
import dev.gkr.internal.common.ApiKey;
import dev.gkr.internal.common.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntPredicate;
import java.util.function.ToDoubleFunction;

/**
 * The keys of a run, the projects they belong to, and every change of whether a key may send:
 * cooling, parking (for the run, or until midnight Pacific when a daily quota is spent) and
 * retiring. Guarded by the Scheduler's lock: only the scheduler and its failure handlers use it;
 * {@code onKeyLost} tells the scheduler that a key can no longer be used.
 */
public final class KeyBook {
  private final KeyState[] keys;

  /**
   * Each project's pacing per model of the run's chain ({@code [model][project]}): Gemini counts a
   * project's requests, tokens and days per model.
   */
  private final ProjectState[][] projects;

  private final int[] projectOf;
  private final List<String> models;
  private final int[] keysInProject;
  private final ParkedKeys parked;
  private final Clock clock;
  private final Runnable onKeyLost;
  private int usable;

  /** A book for one model (embeddings), paced by the limits declared for every model. */
  public KeyBook(
      List<ApiKey> apiKeys,
      List<String> projectOfKey,
      Optional<Limits> limits,
      ParkedKeys parked,
      Clock clock,
      Runnable onKeyLost) {
    this(apiKeys, projectOfKey, limits, List.of(""), parked, clock, onKeyLost);
  }

  /**
   * @param projectOfKey each key's project name, by key index
   * @param limits the quota of every project, if one was declared
   * @param models the run's models (its chain), each paced by its own limits
   */
  public KeyBook(
      List<ApiKey> apiKeys,
      List<String> projectOfKey,
      Optional<Limits> limits,
      List<String> models,
      ParkedKeys parked,
      Clock clock,
      Runnable onKeyLost) {
    this.keys = apiKeys.stream().map(KeyState::new).toArray(KeyState[]::new);
    this.models = List.copyOf(models);
    this.parked = parked;
    this.clock = clock;
    this.onKeyLost = onKeyLost;
    this.usable = keys.length;
    Map<String, Integer> index = new LinkedHashMap<>();
    this.projectOf = new int[keys.length];
    for (int i = 0; i < keys.length; i++)
      projectOf[i] = index.computeIfAbsent(projectOfKey.get(i), n -> index.size());
    Limits l = limits.orElse(new Limits(0, Duration.ofMinutes(1), 0, 0));
    this.projects = new ProjectState[models.size()][];
    for (int m = 0; m < models.size(); m++) {
      Limits own = l.of(models.get(m));
      projects[m] =
          index.keySet().stream().map(n -> new ProjectState(n, own)).toArray(ProjectState[]::new);
    }
    this.keysInProject = new int[index.size()];
    for (int p : projectOf) keysInProject[p]++;
  }

  /** The project index of each key, and how many projects there are: for the run-wide throttle. */
  public int[] projectIndexes() {
    return projectOf.clone();
  }

  public int projectCount() {
    return keysInProject.length;
  }

  /**
   * A storm, not the keys, caused the 429s so far: no key keeps them as strikes towards parking.
   */
  public void forgiveStrikes() {
    for (KeyState k : keys) k.forgiveStrikes();
  }

  public KeyState key(int index) {
    return keys[index];
  }

  public int size() {
    return keys.length;
  }

  public int usable() {
    return usable;
  }

  /**
   * The key's project, as the first model of the run sees it (the only one of an embedding run).
   */
  public ProjectState projectOf(KeyState k) {
    return projectOf(k, 0);
  }

  /** The key's project, as model {@code model} of the run's chain sees it (its own quota). */
  public ProjectState projectOf(KeyState k, int model) {
    return projects[model][projectOf[k.index()]];
  }

  /**
   * Whether some key the task has not {@code tried} can take it now (then the task waits for that
   * key). A key cooling down does not hold the task back: a task that met a 429 on a key cooling 7
   * s waited for an untried key cooling a minute.
   */
  public boolean hasUntriedFreeKey(IntPredicate tried, long now) {
    for (KeyState k : keys)
      if (k.usable() && !tried.test(k.index()) && !k.coolingAt(now)) return true;
    return false;
  }

  public void cool(KeyState k, Duration delay, List<RotatorEvent> events, Instant now) {
    if (k.coolUntil(clock.nanoTime() + delay.toNanos()))
      events.add(new RotatorEvent.KeyCooled(now, k.key().display(), delay));
  }

  /** A key that kept refusing on its own ({@code detail} says how): parked for the run. */
  public void park(KeyState k, String detail, List<RotatorEvent> events, Instant now) {
    park(k, ErrorType.RATE_LIMITED, detail, events, now);
  }

  private void park(
      KeyState k, ErrorType reason, String detail, List<RotatorEvent> events, Instant now) {
    if (!k.park()) return;
    events.add(new RotatorEvent.KeyParked(now, k.key().display(), reason, detail));
    lost();
  }

  /**
   * A project's daily quota is spent (Google's 429, or the declared limit): every key of it is
   * parked for the run and, when a checkpoint is kept, until midnight Pacific for later runs too.
   */
  public void parkProject(ProjectState p, String reason, List<RotatorEvent> events, Instant now) {
    for (KeyState k : keys) {
      if (!projectOf(k).name().equals(p.name()) || !k.usable()) continue;
      Instant until = parked.park(k.key(), now);
      park(k, ErrorType.DAILY_LIMIT, reason + "; parked until " + pacific(until), events, now);
    }
  }

  /** Keys whose daily quota an earlier run found spent today are parked before anything is sent. */
  public List<RotatorEvent> parkRemembered(Instant now) {
    List<RotatorEvent> out = new ArrayList<>();
    for (KeyState k : keys) {
      Optional<Instant> until = parked.parkedUntil(k.key(), now);
      if (until.isPresent() && k.usable()) {
        park(
            k,
            ErrorType.DAILY_LIMIT,
            "daily quota spent earlier today; parked until " + pacific(until.get()),
            out,
            now);
      }
    }
    return out;
  }

  private static String pacific(Instant t) {
    return t.atZone(ParkedKeys.PACIFIC).toLocalDateTime() + " Pacific";
  }

  public void retire(KeyState k, ErrorType reason, List<RotatorEvent> events, Instant now) {
    if (!k.retire()) return;
    events.add(new RotatorEvent.KeyRetired(now, k.key().display(), reason));
    lost();
  }

  private void lost() {
    usable--;
    onKeyLost.run();
  }

  /**
   * Each key's counts and share of its project's paced rate for model {@code model} (the one the
   * run asks now); its cost is the ledger's and is added by the run.
   */
  public List<KeyStats> stats(long now, int model) {
    return stats(now, model, key -> 0);
  }

  /** As {@link #stats(long, int)}, with each key's cost by its shown form ({@code key-3…9kQz}). */
  public List<KeyStats> stats(long now, int model, ToDoubleFunction<String> costOfKey) {
    List<KeyStats> ks = new ArrayList<>(keys.length);
    for (KeyState k : keys) {
      ProjectState p = projectOf(k, model);
      KeyStatus state = k.status(now);
      if (state == KeyStatus.ACTIVE && now < p.pausedUntil())
        state = KeyStatus.COOLING; // its project waits (tokens, a 429 without details)
      double rpm =
          p.paced() && k.usable() ? p.requestsPerMinute() / keysInProject[projectOf[k.index()]] : 0;
      ks.add(
          new KeyStats(
              k.key().display(),
              p.name(),
              state,
              k.requests(),
              k.successes(),
              k.rateLimitedCount(),
              k.otherFailures(),
              rpm,
              costOfKey.applyAsDouble(k.key().display()),
              perModel(k)));
    }
    return ks;
  }

  /** The key's successes by model name, when the run has several models. */
  private Map<String, Long> perModel(KeyState k) {
    if (models.size() < 2) return Map.of();
    Map<String, Long> out = new LinkedHashMap<>();
    for (int m = 0; m < models.size(); m++)
      if (k.successes(m) > 0) out.put(models.get(m), k.successes(m));
    return out;
  }

  /** The paced rate of every project for model {@code model} (the one the run asks now). */
  public double pacedRequestsPerMinute(int model) {
    double total = 0;
    for (ProjectState p : projects[model]) total += p.paced() ? p.requestsPerMinute() : 0;
    return total;
  }
}
