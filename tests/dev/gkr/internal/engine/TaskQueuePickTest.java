package dev.gkr.internal.engine;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.gkr.FakeClock;
import dev.gkr.Rotator;
import dev.gkr.Task;
import dev.gkr.TestHooks;
import dev.gkr.internal.common.ApiKey;
import dev.gkr.internal.keys.KeyBook;
import dev.gkr.internal.keys.KeyState;
import dev.gkr.internal.keys.ParkedKeys;
import dev.gkr.internal.request.TaskRequests;
import dev.gkr.internal.task.TaskState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Which task a free key takes (unit: the queue and the key book, no HTTP). A task that met a 429 on
 * a key waited for a key it had not tried even while that key cooled for a minute and its own key
 * was free again after 7 s (a new user's trial: 50 s lost on one task). The fake clock cannot stage
 * this over HTTP: a slot's wait moves virtual time to its deadline at once.
 */
class TaskQueuePickTest {
  private final FakeClock clock = new FakeClock();
  private final KeyBook keys =
      new KeyBook(
          List.of(new ApiKey("pick-key-0001", "key-1", 0), new ApiKey("pick-key-0002", "key-2", 1)),
          List.of("p1", "p2"),
          Optional.empty(),
          ParkedKeys.load(null),
          clock,
          () -> {});
  private final Task prompt = new Task("1", "a prompt", Map.of());
  private final TaskState task =
      new TaskState(
          0,
          prompt,
          "",
          TaskRequests.prepare(TestHooks.settings(Rotator.keys("k")), List.of(prompt))[0]);
  private final TaskQueue queue = new TaskQueue(List.of(task));
  private final KeyState first = keys.key(0), second = keys.key(1);

  @Test
  void aTaskWaitsForAnUntriedKeyThatIsFree() {
    task.triedOn(second.index());
    assertNull(
        queue.pick(second, keys, i -> false, clock.nanoTime()), "the other key can take it now");
    assertSame(task, queue.pick(first, keys, i -> false, clock.nanoTime()));
  }

  @Test
  void butNotForAnUntriedKeyThatIsCoolingDown() {
    task.triedOn(second.index()); // its 429 there spent no retry; the key is free again
    keys.cool(first, Duration.ofMinutes(1), new ArrayList<>(), clock.instant());
    assertSame(
        task,
        queue.pick(second, keys, i -> false, clock.nanoTime()),
        "the free key takes it instead of leaving it for a key cooling a minute");
  }

  @Test
  void norForAnUntriedKeyTheCurrentModelRefused_issue26() {
    task.triedOn(second.index());
    first.denyModel(0); // 403 for the model: its slots wait while the run asks it
    assertSame(
        task,
        queue.pick(second, keys, i -> keys.key(i).deniedModel(0), clock.nanoTime()),
        "a key that may not use the model would never take it");
  }
}
