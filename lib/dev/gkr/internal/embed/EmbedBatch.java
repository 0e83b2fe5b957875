package dev.gkr.internal.embed;

import com.google.genai.types.BatchJob;
import dev.gkr.Embedding;
import dev.gkr.ErrorType;
import dev.gkr.JobStats;
import dev.gkr.Mode;
import dev.gkr.Outcome;
import dev.gkr.RotatorEvent;
import dev.gkr.internal.batchmode.BatchJournal;
import dev.gkr.internal.call.Transport;
import dev.gkr.internal.common.ApiKey;
import dev.gkr.internal.common.Listeners;
import dev.gkr.internal.config.Settings;
import dev.gkr.internal.cost.PriceTier;
import dev.gkr.internal.cost.Prices;
import dev.gkr.internal.store.Checkpoint;
import dev.gkr.internal.table.TaskResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Texts embedded through Gemini Batch Mode at the batch price, half the standard one ({@link
 * EmbedJobs}). A job carries texts of one title (one config a job) inline, up to {@code
 * inlineBytes}. Each job is written to the {@link BatchJournal} beside the checkpoint before it is
 * created and named once it is, so a rerun after a crash re-attaches to it (found by its display
 * name if the name was never written) instead of submitting and paying again. A job's texts count
 * against {@code maxCost} from its submission: the job runs whatever gkr does next. Used by one
 * thread: {@link EmbedRun} submits before its synchronous part and collects after it, so jobs and
 * synchronous calls overlap.
 */
final class EmbedBatch {
  /** Room for a request's envelope (config, title) beside its text, in the inline size. */
  private static final int ENVELOPE_BYTES = 200;

  /** Polls of a job that may fail in a row (Gemini out of reach) before its texts are left. */
  private static final int MAX_MISSES = 10;

  private final Settings settings;
  private final Embedding how;
  private final EmbedTexts in;
  private final Budget budget;
  private final EmbedJobs api;
  private final Transport transport;
  private final BatchJournal journal;
  private final Checkpoint checkpoint;
  private final List<Live> live = new ArrayList<>();
  private final Set<ApiKey> lost = new HashSet<>();
  private int next;
  private int collected;
  private volatile JobStats jobs = JobStats.NONE; // the run thread writes, stats() reads

  /**
   * A job in flight: its journal entry, key, for each of its requests the text's index (-1: a text
   * this run does not take from it), and the polls that failed in a row.
   */
  private static final class Live {
    final BatchJournal.Job entry;
    final ApiKey key;
    final int[] items;
    private int misses; // the run thread only

    Live(BatchJournal.Job entry, ApiKey key, int[] items) {
      this.entry = entry;
      this.key = key;
      this.items = items;
    }
  }

  EmbedBatch(
      Settings settings,
      Embedding how,
      EmbedTexts in,
      Budget budget,
      Transport transport,
      Checkpoint checkpoint) {
    this.settings = settings;
    this.how = how;
    this.in = in;
    this.budget = budget;
    this.transport = transport;
    this.api = new EmbedJobs(transport, how);
    this.checkpoint = checkpoint;
    this.journal = BatchJournal.load(settings.checkpoint().map(BatchJournal::besides).orElse(null));
  }

  /**
   * With Batch Mode, the run's batch part: the journal's jobs re-attached, then the texts {@link
   * EmbedSplit} gives to batch submitted; both are taken out of {@code todo}. Null when the run is
   * synchronous.
   */
  static EmbedBatch start(
      Settings settings,
      Embedding how,
      EmbedTexts in,
      Budget budget,
      Transport transport,
      Checkpoint checkpoint,
      List<Integer> todo) {
    if (settings.batch().mode() == Mode.SYNC) return null;
    EmbedBatch b = new EmbedBatch(settings, how, in, budget, transport, checkpoint);
    Set<Integer> carried = b.reattach(todo);
    todo.removeIf(carried::contains);
    List<Integer> part = List.copyOf(EmbedSplit.batchPart(settings, in, todo, b::notice));
    todo.removeAll(new HashSet<>(part));
    b.submit(part);
    b.published();
    return b;
  }

  /** The journal's jobs that still carry texts of {@code todo} go back in flight; returns those. */
  Set<Integer> reattach(List<Integer> todo) {
    Set<Integer> open = new HashSet<>(todo);
    Set<Integer> carried = new HashSet<>();
    for (BatchJournal.Job j : journal.jobs()) {
      ApiKey key =
          settings.keys().stream()
              .filter(k -> k.display().equals(j.key()))
              .findFirst()
              .orElse(null);
      BatchJournal.Job entry = key == null ? null : named(j, key);
      if (entry == null) {
        journal.remove(j);
        if (key == null)
          notice(
              "batch job "
                  + j.displayName()
                  + " was created with key "
                  + j.key()
                  + ", which is not among this run's keys; its texts are submitted again");
        continue;
      }
      int[] items = new int[j.tasks().size()];
      int mine = 0;
      for (int k = 0; k < items.length; k++) {
        Integer i = in.indexOf(j.tasks().get(k));
        boolean ours =
            i != null
                && open.contains(i)
                && !carried.contains(i)
                && j.sameAsSubmitted(k, in.hash(i)); // a text changed since is sent anew
        items[k] = ours ? i : -1;
        if (ours) {
          carried.add(i);
          mine++;
        }
      }
      if (mine == 0) { // its vectors are all in the checkpoint already
        journal.remove(entry);
        continue;
      }
      budget.spent(cost(items));
      live.add(new Live(entry, key, items));
      notice("re-attached to batch job " + entry.name() + " (" + mine + " texts)");
    }
    return carried;
  }

  /** The job with its name: looked up by display name when the run died creating it; else null. */
  private BatchJournal.Job named(BatchJournal.Job j, ApiKey key) {
    if (!j.name().isEmpty()) return j;
    Optional<String> found = api.find(key, j.displayName());
    if (found.isEmpty()) return null;
    BatchJournal.Job n = j.named(found.get());
    journal.replace(j, n);
    return n;
  }

  /** Submits {@code todo} as jobs; a text no job could take gets its row here. */
  void submit(List<Integer> todo) {
    List<Integer> cur = new ArrayList<>();
    long bytes = 0;
    for (int i : todo) {
      long b = in.bytes(i) + ENVELOPE_BYTES;
      boolean full =
          !cur.isEmpty()
              && (bytes + b > settings.batch().inlineBytes()
                  || !in.title(cur.get(0)).equals(in.title(i)));
      if (full) {
        submitOne(cur);
        cur = new ArrayList<>();
        bytes = 0;
      }
      cur.add(i);
      bytes += b;
    }
    if (!cur.isEmpty()) submitOne(cur);
  }

  private void submitOne(List<Integer> texts) {
    int[] items = texts.stream().mapToInt(x -> x).toArray();
    if (!budget.affords(cost(items))) {
      for (int i : items) in.left(i, TaskResult.overBudget(in.id(i), budget.cap(), null, 0));
      return;
    }
    String display = "gkr-embed-" + UUID.randomUUID().toString().substring(0, 13);
    List<String> ids = texts.stream().map(in::id).toList();
    List<String> hashes = texts.stream().map(in::hash).toList();
    List<String> bodies = texts.stream().map(in::text).toList();
    Outcome.Failure last = null;
    ApiKey lastKey = null;
    for (int tries = 0; tries < 2 * settings.keys().size(); tries++) {
      ApiKey key = nextKey();
      if (key == null) break;
      BatchJournal.Job entry = new BatchJournal.Job("", display, key.display(), ids, hashes);
      journal.add(entry);
      BatchJournal.Job named;
      try {
        named = entry.named(api.create(key, display, bodies, in.title(items[0])));
        journal.replace(entry, named);
      } catch (RuntimeException e) {
        last = transport.classifier().ofException(e, Duration.ZERO);
        lastKey = key;
        // a lost answer may hide a created job: look for it before sending it again
        named = last.type().kind() == ErrorType.Kind.TRANSIENT ? named(entry, key) : null;
        if (named == null) {
          journal.remove(entry);
          switch (last.type().kind()) {
            case KEY_DEAD, KEY_PARKED -> lost.add(key);
            case KEY_COOLDOWN, TRANSIENT, SLOWDOWN -> {}
            default -> tries = Integer.MAX_VALUE - 1; // the request itself is refused
          }
          continue;
        }
      }
      budget.spent(cost(items));
      live.add(new Live(named, key, items));
      notice("submitted batch job " + named.name() + " (" + items.length + " texts)");
      return;
    }
    // not checkpointed either way: a rerun submits them again
    boolean keysGone =
        last == null
            || switch (last.type().kind()) {
              case KEY_COOLDOWN, KEY_PARKED, KEY_DEAD -> true;
              default -> false;
            };
    for (int i : items)
      in.left(
          i,
          keysGone
              ? TaskResult.unfinished(in.id(i), ErrorType.NO_USABLE_KEYS, last, 1)
              : TaskResult.failure(in.id(i), last, null, 1, lastKey, 0));
  }

  private ApiKey nextKey() {
    List<ApiKey> keys = settings.keys().stream().filter(k -> !lost.contains(k)).toList();
    return keys.isEmpty() ? null : keys.get(next++ % keys.size());
  }

  /**
   * Polls the jobs in flight (waits growing from {@code firstPoll} by half up to {@code maxPoll},
   * on the run's clock) until each has ended, and takes their vectors.
   */
  void collect() {
    Duration wait = settings.batch().firstPoll();
    while (!live.isEmpty()) {
      if (!sleep(wait)) {
        notice(
            live.size()
                + " batch job(s) left running at Google: rerun the same command to collect them");
        for (Live l : live) leave(l, ErrorType.CANCELLED, null);
        return;
      }
      long longer = Math.min((long) (wait.toNanos() * 1.5), settings.batch().maxPoll().toNanos());
      wait = Duration.ofNanos(longer);
      for (Live l : List.copyOf(live)) poll(l);
      published();
    }
  }

  private void poll(Live l) {
    BatchJob job;
    try {
      job = api.get(l.key, l.entry.name());
      l.misses = 0;
    } catch (RuntimeException e) {
      Outcome.Failure f = transport.classifier().ofException(e, Duration.ZERO);
      if (++l.misses < MAX_MISSES && f.type().kind() != ErrorType.Kind.KEY_DEAD) return;
      live.remove(l); // the journal keeps the job: a rerun tries again
      leave(l, ErrorType.CONNECTION, f);
      return;
    }
    switch (EmbedJobs.phase(job)) {
      case RUNNING -> {
        return;
      }
      case SUCCEEDED -> take(l, job);
      case ENDED -> {
        String state = job.state().map(Object::toString).orElse("");
        leave(
            l,
            ErrorType.SERVER_ERROR,
            new Outcome.Failure(
                ErrorType.SERVER_ERROR,
                0,
                state,
                "batch job " + l.entry.name() + " ended " + state + "; a rerun submits its texts",
                Optional.empty(),
                Duration.ZERO));
      }
    }
    live.remove(l);
    journal.remove(l.entry);
    collected++;
  }

  /** The vectors of a finished job, billed at the batch price, each checkpointed at once. */
  private void take(Live l, BatchJob job) {
    List<EmbedJobs.Answer> answers = api.answers(job, l.items.length);
    List<RotatorEvent> events = new ArrayList<>();
    for (int k = 0; k < l.items.length; k++) {
      int i = l.items[k];
      if (i < 0) continue;
      EmbedJobs.Answer a = answers.get(k);
      TaskResult r =
          a.vector() == null
              ? TaskResult.failure(in.id(i), a.failure(), null, 1, l.key, 0)
              : EmbedTable.row(
                      in.id(i),
                      a.vector(),
                      how.model(),
                      a.tokens().orElse(in.tokens(i)),
                      settings.prices(),
                      PriceTier.BATCH)
                  .attempt(1, l.key.display(), 0, 0)
                  .serviceTier("batch")
                  .build();
      in.finished(i, r, checkpoint);
      events.add(r.doneEvent(settings.clock().instant()));
    }
    Listeners.publish(settings.listeners(), events);
  }

  /**
   * The batch part so far, for {@code rotator.stats().jobs()}: the jobs still at Google (all
   * counted running: a job's pending and running phases are polled alike), the jobs collected, and
   * the texts in the jobs at Google.
   */
  JobStats jobs() {
    return jobs;
  }

  private void published() {
    int texts = 0;
    for (Live l : live) for (int i : l.items) if (i >= 0) texts++;
    jobs = new JobStats(0, live.size(), collected, texts, 0);
  }

  /** The job's texts are left without a vector and not checkpointed: a rerun sends them again. */
  private void leave(Live l, ErrorType why, Outcome.Failure f) {
    for (int i : l.items) if (i >= 0) in.left(i, TaskResult.unfinished(in.id(i), why, f, 1));
  }

  /** What the texts of {@code items} cost at the batch price ({@code 0} when unpriced). */
  private double cost(int[] items) {
    long tokens = 0;
    for (int i : items) if (i >= 0) tokens += in.tokens(i);
    double usd =
        settings.prices().cost(how.model(), new Prices.Usage(tokens, 0, 0, 0), PriceTier.BATCH);
    return Double.isNaN(usd) ? 0 : usd;
  }

  private boolean sleep(Duration d) {
    if (Thread.currentThread().isInterrupted()) return false;
    ReentrantLock lock = new ReentrantLock();
    Condition never = lock.newCondition();
    lock.lock();
    try {
      settings.clock().awaitUntil(never, settings.clock().nanoTime() + d.toNanos());
      return !Thread.currentThread().isInterrupted();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } finally {
      lock.unlock();
    }
  }

  private void notice(String message) {
    Listeners.publish(
        settings.listeners(), new RotatorEvent.Notice(settings.clock().instant(), message));
  }
}
