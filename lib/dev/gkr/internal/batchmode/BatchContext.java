package dev.gkr.internal.batchmode;

import dev.gkr.Outcome;
import dev.gkr.RotatorEvent;
import dev.gkr.internal.call.Classifier;
import dev.gkr.internal.common.ApiKey;
import dev.gkr.internal.common.Redactor;
import dev.gkr.internal.config.Settings;
import dev.gkr.internal.store.Checkpoint;
import dev.gkr.internal.task.RetryPolicy;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * What the parts of a Batch Mode run share: the run's settings and retry policy, its checkpoint,
 * where events go, the per-key counts and the work in hand; with the few helpers they all use.
 */
record BatchContext(
    Settings settings,
    RetryPolicy retries,
    Redactor redactor,
    Checkpoint checkpoint,
    Consumer<RotatorEvent> events,
    BatchKeyCounts perKey,
    BatchWork work) {

  void notice(String message) {
    events.accept(new RotatorEvent.Notice(settings.clock().instant(), message));
  }

  void jobUpdated(BatchLiveJob l, String state, int tasks, int ok, int bad) {
    events.accept(
        new RotatorEvent.JobUpdated(
            settings.clock().instant(), l.name(), l.key().display(), state, tasks, ok, bad));
  }

  /** A failed API call (create, get, cancel), classified as a synchronous call's would be. */
  Outcome.Failure failure(Exception e) {
    return new Classifier(redactor).ofException(e, Duration.ZERO);
  }

  String projectOf(ApiKey k) {
    return settings.projectOfKey().get(k.index());
  }

  interface Call<T> {
    T get() throws Exception;
  }

  /** The call's answer, or empty when it failed. */
  static <T> Optional<T> safe(Call<Optional<T>> c) {
    try {
      return c.get();
    } catch (Exception e) {
      return Optional.empty();
    }
  }
}
