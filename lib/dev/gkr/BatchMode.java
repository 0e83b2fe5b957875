package dev.gkr;

import com.google.genai.types.BatchJob;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * A run in Gemini Batch Mode (issue 19), on the run's one thread: submits the pending tasks as jobs
 * (up to {@link BatchOptions#jobs} per project at once), polls them with a backoff (seconds at
 * first, then minutes), maps each finished job's answers back to tasks by key, classifies them as a
 * synchronous run does and appends them to the checkpoint as they arrive. Task errors go back to
 * the queue, for a later job on another project where one exists, until {@code maxRetries}; a job
 * that FAILED or EXPIRED gives its tasks back to the queue.
 *
 * <p>Exactly once: every job is written to the {@link BatchJournal} (beside the checkpoint) before
 * it is created and removed only after its results are in the checkpoint, so a rerun after a crash
 * or Ctrl-C re-attaches to it instead of submitting its tasks again. Ctrl-C leaves jobs running at
 * Google; {@code cancelJobs} cancels them.
 */
final class BatchMode {
  private static final String JOB_FAILED = "the batch job ended ";

  private final Ledger ledger;
  private final Settings settings;
  private final Redactor redactor;
  private final Checkpoint checkpoint;
  private final Consumer<RotatorEvent> events;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition never = lock.newCondition();

  /**
   * Keys that answered a create call with a key error (invalid, suspended, refused): not used again
   * this run.
   */
  private final java.util.Set<Integer> deadKeys = new java.util.HashSet<>();

  /**
   * Create calls that failed in a row; past {@link #MAX_SUBMIT_FAILURES} the queued tasks end with
   * the last error.
   */
  private int submitFailures;

  private boolean budgetReached;
  private boolean waitingForBudget;

  private static final int MAX_SUBMIT_FAILURES = 8;

  /**
   * How many times a task whose answer inside a job was a 429 (rate_limited, token_limited,
   * throttled) goes into a later job without using a retry, as a 429 costs no retry in a
   * synchronous run. A fixed count, as a job has no wait to add up: past it a 429 counts against
   * {@code maxRetries} like any transient error, so a run cannot loop forever.
   */
  static final int MAX_RATE_LIMITED_REQUEUES = 10;

  /** 429 answers per task id so far, against {@link #MAX_RATE_LIMITED_REQUEUES}. */
  private final Map<String, Integer> rateLimitedRequeues = new HashMap<>();

  /** Per key, for {@link RunStats#keys()}. */
  private final BatchKeyCounts perKey;

  /** Jobs collected (or cancelled) so far; with the jobs in flight, {@link #progress}. */
  private int collected;

  private volatile JobStats progress = JobStats.NONE;

  /**
   * A job in flight: its journal entry, key, the unfinished tasks it carries, its last state seen.
   */
  private static final class Live {
    BatchJournal.Job entry;
    final ApiKey key;
    final String project;
    final Map<String, TaskState> tasks = new LinkedHashMap<>();
    BatchJobs.State state = BatchJobs.State.PENDING;

    Live(BatchJournal.Job entry, ApiKey key, String project) {
      this.entry = entry;
      this.key = key;
      this.project = project;
    }
  }

  BatchMode(
      Settings settings,
      Redactor redactor,
      Checkpoint checkpoint,
      Ledger ledger,
      Consumer<RotatorEvent> events) {
    this.ledger = ledger;
    this.settings = settings;
    this.redactor = redactor;
    this.checkpoint = checkpoint;
    this.events = events;
    this.perKey = new BatchKeyCounts(settings.keys().size());
  }

  /** The jobs' progress, for {@link RunStats#jobs()}; any thread. */
  JobStats progress() {
    return progress;
  }

  /** Adds a key's batch counts to its synchronous ones; any thread. */
  RunStats.KeyStats addTo(RunStats.KeyStats k, int key) {
    return perKey.addTo(k, key);
  }

  /** The requests in the jobs of this run so far (created or re-attached); any thread. */
  long requests() {
    return perKey.requests();
  }

  /** The 429 answers inside jobs so far; any thread. */
  long rateLimited() {
    return perKey.rateLimited();
  }

  private void report(List<Live> live, Deque<TaskState> queue) {
    int pending = 0, running = 0, inJobs = 0;
    for (Live l : live) {
      if (l.state == BatchJobs.State.PENDING) pending++;
      else running++;
      inJobs += l.tasks.size();
    }
    progress = new JobStats(pending, running, collected, inJobs, queue.size());
  }

  void run(List<TaskState> todo) {
    BatchJournal journal =
        BatchJournal.load(settings.checkpoint().map(BatchJournal::besides).orElse(null));
    Map<String, TaskState> byId = new HashMap<>();
    for (TaskState t : todo) byId.put(t.task.id(), t);
    Deque<TaskState> queue = new ArrayDeque<>();
    List<Live> live = new ArrayList<>();
    try (Transport transport = new Transport(settings, redactor)) {
      BatchJobs api = new BatchJobs(settings, transport);
      reattach(journal, api, byId, live);
      for (TaskState t : todo)
        if (live.stream().noneMatch(l -> l.tasks.containsKey(t.task.id()))) queue.add(t);
      report(live, queue);
      if (settings.batch().cancelJobs())
        notice(
            live.isEmpty()
                ? "no batch jobs of an earlier run to cancel; nothing was submitted"
                : "cancelling "
                    + live.size()
                    + " batch job(s) of an earlier run (finished ones are collected first); nothing new is submitted");
      Duration wait = settings.batch().firstPoll();
      while (!live.isEmpty() || (!queue.isEmpty() && !settings.batch().cancelJobs())) {
        if (!settings.batch().cancelJobs()) submit(journal, api, queue, live);
        report(live, queue);
        boolean news = false;
        for (Live l : List.copyOf(live)) news |= poll(journal, api, l, queue, live);
        report(live, queue);
        if (settings.batch().cancelJobs()) {
          for (Live l : List.copyOf(live)) cancel(journal, api, l, live);
          report(live, queue);
          break;
        }
        if (live.isEmpty() && queue.isEmpty()) break;
        wait =
            news || (waitingForBudget && live.isEmpty()) // room comes from sync answers
                ? settings.batch().firstPoll()
                : min(Duration.ofNanos((long) (wait.toNanos() * 1.5)), settings.batch().maxPoll());
        if (!sleep(wait)) {
          leaveRunning(live);
          return;
        }
      }
    }
  }

  /** Picks up the jobs of an earlier run: each keeps the tasks that are still unfinished. */
  private void reattach(
      BatchJournal journal, BatchJobs api, Map<String, TaskState> byId, List<Live> live) {
    for (BatchJournal.Job j : journal.jobs()) {
      ApiKey key =
          settings.keys().stream()
              .filter(k -> k.display().equals(j.key()))
              .findFirst()
              .orElse(null);
      List<TaskState> mine = new ArrayList<>();
      for (int i = 0; i < j.tasks().size(); i++) {
        TaskState t = byId.get(j.tasks().get(i));
        if (t != null && j.sameAsSubmitted(i, t.hash))
          mine.add(t); // a task changed since is sent anew; the job's answer is ignored
      }
      if (key == null) {
        notice(
            "batch job "
                + (j.name().isEmpty() ? j.displayName() : j.name())
                + " was created with key "
                + j.key()
                + ", which is not among this run's keys; its tasks are submitted again");
        journal.remove(j);
        continue;
      }
      BatchJournal.Job entry = j;
      if (j.name().isEmpty()) { // the process died around the create call: did it reach the API?
        Optional<String> found = safe(() -> api.findByDisplayName(key, j.displayName()));
        if (found.isEmpty()) {
          journal.remove(j);
          continue;
        }
        entry = j.named(found.get());
        journal.replace(j, entry);
      }
      if (mine.isEmpty()) { // its results are all in the checkpoint already
        journal.remove(entry);
        continue;
      }
      Live l = new Live(entry, key, projectOf(key));
      String system = settings.systemInstruction().orElse("");
      for (TaskState t : mine) {
        l.tasks.put(t.task.id(), t);
        t.reservedUsd = // the job runs whatever the cap: its worst case counts against it
            ledger.reserveCommitted(t.estimatedTokens(system), t.request, PriceTier.BATCH);
      }
      live.add(l);
      perKey.submitted(key.index(), mine.size());
      notice("re-attached to batch job " + entry.name() + " (" + mine.size() + " tasks)");
    }
  }

  private void submit(
      BatchJournal journal, BatchJobs api, Deque<TaskState> queue, List<Live> live) {
    waitingForBudget = false;
    if (queue.isEmpty()) return;
    Map<String, ApiKey> projects = new LinkedHashMap<>();
    for (ApiKey k : settings.keys())
      if (!deadKeys.contains(k.index())) projects.putIfAbsent(projectOf(k), k);
    if (projects.isEmpty()) {
      giveUp(queue, ErrorType.NO_USABLE_KEYS, null);
      return;
    }
    int free = 0;
    for (String p : projects.keySet())
      free +=
          Math.max(
              0,
              settings.batch().jobs()
                  - (int) live.stream().filter(l -> l.project.equals(p)).count());
    if (free == 0) return;
    int chunk = (queue.size() + free - 1) / free;
    for (Map.Entry<String, ApiKey> p : projects.entrySet()) {
      ApiKey key = p.getValue();
      while (!queue.isEmpty()
          && live.stream().filter(l -> l.project.equals(p.getKey())).count()
              < settings.batch().jobs()) {
        List<TaskState> taken = take(queue, key, chunk, projects.size());
        if (taken.isEmpty()) break;
        List<TaskState> tasks = affordable(taken, queue);
        if (tasks.isEmpty()) {
          // no room: wait while jobs here or synchronous requests hold reservations, else stop
          if (!waitingForBudget) overBudget(queue);
          return;
        }
        String display = "gkr-" + java.util.UUID.randomUUID().toString().substring(0, 13);
        BatchJournal.Job entry =
            new BatchJournal.Job(
                "",
                display,
                key.display(),
                tasks.stream().map(t -> t.task.id()).toList(),
                tasks.stream().map(t -> t.hash).toList());
        journal.add(entry); // before the create call: see the class comment
        Optional<String> name;
        try {
          name = Optional.of(api.submit(key, display, tasks));
        } catch (Exception e) {
          Outcome.Failure f = new Classifier(redactor).ofException(e, Duration.ZERO);
          name = safe(() -> api.findByDisplayName(key, display));
          if (name.isEmpty()) {
            journal.remove(entry);
            tasks.forEach(this::unreserve);
            tasks.reversed().forEach(queue::addFirst);
            if (f.type().kind() == ErrorType.Kind.KEY_DEAD) {
              deadKeys.add(key.index());
              perKey.retired(key.index());
              events.accept(
                  new RotatorEvent.KeyRetired(settings.clock().instant(), key.display(), f.type()));
            } else if (++submitFailures >= MAX_SUBMIT_FAILURES
                || f.type().kind() == ErrorType.Kind.RUN) {
              giveUp(queue, null, f);
              return;
            } else {
              notice(
                  "could not submit a batch job with "
                      + key.display()
                      + ": "
                      + f.summary()
                      + "; trying again later");
            }
            break; // this project waits for the next round; the other projects still get their jobs
          }
        }
        submitFailures = 0;
        BatchJournal.Job named = entry.named(name.get());
        journal.replace(entry, named);
        Live l = new Live(named, key, p.getKey());
        tasks.forEach(
            t -> {
              t.markTried(key.index());
              l.tasks.put(t.task.id(), t);
            });
        live.add(l);
        perKey.submitted(key.index(), tasks.size());
        report(live, queue); // each job as it is created: many create calls take a while
        jobUpdated(l, "PENDING", tasks.size(), 0, 0);
      }
    }
  }

  /**
   * The first of {@code tasks} whose worst case fits under maxCost at the batch rate, each reserved
   * until its answer is billed; the others go back to the front of the queue.
   */
  private List<TaskState> affordable(List<TaskState> tasks, Deque<TaskState> queue) {
    if (!ledger.capped()) return tasks;
    String system = settings.systemInstruction().orElse("");
    int fit = 0;
    for (; fit < tasks.size(); fit++) {
      TaskState t = tasks.get(fit);
      double reserved = ledger.tryReserve(t.estimatedTokens(system), t.request, PriceTier.BATCH);
      if (reserved < 0) {
        waitingForBudget = reserved == Ledger.NO_ROOM_YET;
        break;
      }
      t.reservedUsd = reserved;
    }
    tasks.subList(fit, tasks.size()).reversed().forEach(queue::addFirst);
    return List.copyOf(tasks.subList(0, fit));
  }

  private void unreserve(TaskState t) {
    ledger.release(t.reservedUsd);
    t.reservedUsd = 0;
  }

  /**
   * Nothing more fits under maxCost and no job is running: the queued tasks end cancelled (not
   * checkpointed: a rerun with a higher cap sends them), as in a synchronous run.
   */
  private void overBudget(Deque<TaskState> queue) {
    budgetReached = true;
    notice(ledger.capReached());
    for (TaskState t : queue)
      t.result = TaskResult.overBudget(t.task.id(), ledger.cap(), t.lastFailure, t.attempts);
    queue.clear();
  }

  /** True when the run stopped at maxCost with tasks left. */
  boolean budgetReached() {
    return budgetReached;
  }

  /**
   * Ends every queued task: with no usable key left, or with the error that kept refusing the jobs.
   */
  private void giveUp(Deque<TaskState> queue, ErrorType why, Outcome.Failure f) {
    if (why != null)
      notice(
          "no usable key is left to submit batch jobs; " + queue.size() + " task(s) were not sent");
    else
      notice(
          "batch jobs kept being refused ("
              + f.summary()
              + "); "
              + queue.size()
              + " task(s) were not sent");
    for (TaskState t : queue) {
      t.result =
          why != null
              ? TaskResult.unfinished(t.task.id(), why, t.lastFailure, t.attempts)
              : TaskResult.failure(t.task.id(), f, "", t.attempts, settings.keys().get(0), 0);
      if (why == null && checkpoint != null) checkpoint.append(t.task, t.hash, t.result);
    }
    queue.clear();
  }

  /**
   * Up to {@code n} tasks for a job of {@code key}: those not yet tried on it first (when other
   * projects exist).
   */
  private static List<TaskState> take(Deque<TaskState> queue, ApiKey key, int n, int projects) {
    List<TaskState> out = new ArrayList<>();
    for (var it = queue.iterator(); it.hasNext() && out.size() < n; ) {
      TaskState t = it.next();
      if (projects > 1 && t.tried(key.index())) continue;
      out.add(t);
      it.remove();
    }
    if (out.isEmpty() && projects > 1) { // every task left was tried here: better here than never
      for (var it = queue.iterator(); it.hasNext() && out.size() < n; ) {
        TaskState t = it.next();
        if (!t.tried(key.index())) continue;
        out.add(t);
        it.remove();
      }
    }
    return out;
  }

  /** Polls one job; collects it when it is done. True when its state changed. */
  private boolean poll(
      BatchJournal journal, BatchJobs api, Live l, Deque<TaskState> queue, List<Live> live) {
    BatchJob job;
    try {
      job = api.get(l.key, l.entry.name());
    } catch (RuntimeException e) {
      Outcome.Failure f = new Classifier(redactor).ofException(e, Duration.ZERO);
      if (f.httpCode() != 404) {
        return readLater("batch job", l, f.summary());
      }
      notice(
          "batch job "
              + l.entry.name()
              + " is gone (deleted?); its "
              + l.tasks.size()
              + " task(s) go into new jobs");
      l.tasks.values().forEach(this::unreserve);
      queue.addAll(l.tasks.values());
      journal.remove(l.entry);
      live.remove(l);
      return true;
    }
    BatchJobs.State s = BatchJobs.state(job);
    boolean changed = s != l.state;
    l.state = s;
    if (!s.done()) {
      if (changed) jobUpdated(l, s.name(), l.tasks.size(), 0, 0);
      return changed;
    }
    int ok = 0, bad = 0;
    if (s == BatchJobs.State.SUCCEEDED) {
      List<BatchJobs.Keyed> answers;
      try {
        answers = api.results(l.key, job);
      } catch (Exception e) {
        return readLater("the results of batch job", l, e.getMessage());
      }
      for (BatchJobs.Keyed k : answers) {
        TaskState t = l.tasks.remove(k.id());
        if (t == null) continue; // finished before (in the checkpoint) or not ours
        if (settle(t, k.outcome(), l.key, queue)) ok++;
        else bad++;
      }
    }
    // Tasks without an answer (a FAILED or EXPIRED job, or answers missing) go back to the queue.
    for (TaskState t : l.tasks.values()) {
      unreserve(t);
      if (s == BatchJobs.State.CANCELLED)
        continue; // someone cancelled it: its tasks end as cancelled
      t.attempts++;
      t.transientErrors++;
      Outcome.Failure f =
          new Outcome.Failure(
              ErrorType.SERVER_ERROR,
              0,
              "",
              JOB_FAILED + s.name() + " (" + l.entry.name() + ")",
              Optional.empty(),
              Duration.ZERO);
      t.lastFailure = f;
      perKey.failed(l.key.index(), f);
      if (t.transientErrors > Math.max(1, settings.maxRetries()))
        finish(t, TaskResult.failure(t.task.id(), f, "", t.attempts, l.key, 0));
      else queue.add(t);
    }
    journal.remove(l.entry); // only now: every result above is in the checkpoint
    live.remove(l);
    collected++;
    jobUpdated(l, s.name(), l.entry.tasks().size(), ok, bad);
    return true;
  }

  /** A job that could not be read now is read at the next poll. */
  private boolean readLater(String what, Live l, String why) {
    notice("could not read " + what + " " + l.entry.name() + ": " + why + "; trying again later");
    return false;
  }

  private void jobUpdated(Live l, String state, int tasks, int ok, int bad) {
    events.accept(
        new RotatorEvent.JobUpdated(
            settings.clock().instant(), l.entry.name(), l.key.display(), state, tasks, ok, bad));
  }

  /**
   * One answer: a final result (true when a success), or back to the queue for a task error with
   * retries left.
   */
  private boolean settle(TaskState t, Outcome o, ApiKey key, Deque<TaskState> queue) {
    t.attempts++;
    ledger.charge(t, key.index(), o, PriceTier.BATCH); // a job's answers: at the batch rate
    unreserve(t); // after the bill: no one may see room that is already spent
    AnswerCheck c = AnswerCheck.of(settings, o);
    if (c.outcome() instanceof Outcome.Success s) {
      perKey.succeeded(key.index());
      finish(t, TaskResult.success(t.task.id(), s, t.attempts, key, 0, c.json()));
      return true;
    }
    Outcome.Failure f = (Outcome.Failure) c.outcome();
    t.lastFailure = f;
    perKey.failed(key.index(), f);
    ErrorType.Kind kind = f.type().kind();
    if ((kind == ErrorType.Kind.KEY_COOLDOWN || kind == ErrorType.Kind.SLOWDOWN)
        && rateLimitedRequeues.merge(t.task.id(), 1, Integer::sum) <= MAX_RATE_LIMITED_REQUEUES) {
      queue.add(t); // a 429 spends no retry (as in a synchronous run), up to the bound above
      return false;
    }
    boolean task = kind == ErrorType.Kind.TASK;
    if (task) t.taskErrors++;
    else t.transientErrors++;
    boolean spent =
        task
            ? t.taskErrors > settings.maxRetries()
            : t.transientErrors > Math.max(1, settings.maxRetries());
    if (spent) finish(t, TaskResult.failure(t.task.id(), f, c.raw(), t.attempts, key, 0));
    else queue.add(t);
    return false;
  }

  private void finish(TaskState t, TaskResult result) {
    TaskResult r = result.withCost(t.costUsd, t.billedTier);
    t.result = r;
    if (checkpoint != null) checkpoint.append(t.task, t.hash, r);
    events.accept(RotatorEvent.TaskDone.of(settings.clock().instant(), r));
  }

  private void cancel(BatchJournal journal, BatchJobs api, Live l, List<Live> live) {
    try {
      api.cancel(l.key, l.entry.name());
      journal.remove(l.entry);
      live.remove(l);
      collected++;
      jobUpdated(l, "CANCELLED", l.entry.tasks().size(), 0, 0);
    } catch (RuntimeException e) {
      notice(
          "could not cancel batch job "
              + l.entry.name()
              + ": "
              + new Classifier(redactor).ofException(e, Duration.ZERO).summary());
    }
  }

  private void leaveRunning(List<Live> live) {
    Thread.currentThread().interrupt();
    if (live.isEmpty()) return;
    notice(
        live.size()
            + " batch job(s) left running at Google ("
            + String.join(", ", live.stream().map(l -> l.entry.name()).toList())
            + "): rerun the same command to collect them, or add --cancel-jobs to cancel them");
  }

  /** Waits on the run's clock; false when interrupted (Ctrl-C). */
  private boolean sleep(Duration d) {
    if (Thread.currentThread().isInterrupted()) return false;
    lock.lock();
    try {
      settings.clock().awaitUntil(never, settings.clock().nanoTime() + d.toNanos());
      return !Thread.currentThread().isInterrupted();
    } catch (InterruptedException e) {
      return false;
    } finally {
      lock.unlock();
    }
  }

  private String projectOf(ApiKey k) {
    return settings.projectOfKey().get(k.index());
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private interface Call<T> {
    T get() throws Exception;
  }

  private static <T> Optional<T> safe(Call<Optional<T>> c) {
    try {
      return c.get();
    } catch (Exception e) {
      return Optional.empty();
    }
  }

  /**
   * Waits for the batch thread of a {@link Mode#AUTO} run; an interrupt (Ctrl-C) is passed on to
   * it, and kept.
   */
  static void join(Thread batch) {
    boolean interrupted = Thread.interrupted();
    if (interrupted) batch.interrupt();
    while (true) {
      try {
        batch.join();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
        batch.interrupt();
      }
    }
    if (interrupted) Thread.currentThread().interrupt();
  }

  private void notice(String message) {
    events.accept(new RotatorEvent.Notice(settings.clock().instant(), message));
  }
}
