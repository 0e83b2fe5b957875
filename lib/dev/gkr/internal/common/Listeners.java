package dev.gkr.internal.common;

import dev.gkr.RotatorEvent;
import java.util.List;
import java.util.function.Consumer;

/** Hands events to the listeners, outside the run's lock; one that throws is ignored. */
public final class Listeners {
  private Listeners() {}

  public static void publish(List<Consumer<RotatorEvent>> listeners, List<RotatorEvent> events) {
    for (RotatorEvent e : events) publish(listeners, e);
  }

  public static void publish(List<Consumer<RotatorEvent>> listeners, RotatorEvent e) {
    for (Consumer<RotatorEvent> l : listeners) {
      try {
        l.accept(e);
      } catch (RuntimeException ignored) {
        // a listener must not break the run (documented on RotatorEvent)
      }
    }
  }
}
