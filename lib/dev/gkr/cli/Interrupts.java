package dev.gkr.cli;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * Ctrl-C (SIGINT) and SIGTERM (CI cancellation, {@code timeout}, {@code kill}): the first one
 * interrupts the thread running the batch (graceful stop: in-flight requests finish, the checkpoint
 * is flushed, results are written); a second one ends the process at once. A process started with
 * SIGINT ignored (a background job) keeps ignoring it: the JVM cannot install a handler then.
 *
 * <p>{@code sun.misc.Signal} is the only way to handle a signal in Java (shutdown hooks cannot keep
 * the process alive). Naming it in source makes javac warn "internal proprietary API" on every
 * compile (10 lines in a first build), and neither {@code @SuppressWarnings} nor a standard {@code
 * -Xlint} option silences that warning, so it is reached through reflection here: a first build
 * stays quiet (regression test {@code libraryCompilesWithoutWarnings_issue14}).
 *
 * <p>{@link #onEach} is the same handler for a command with no batch to stop ({@code gkr
 * simulator}).
 */
final class Interrupts {
  private static final Class<?> SIGNAL = load("sun.misc.Signal");
  private static final Class<?> HANDLER = load("sun.misc.SignalHandler");
  private final java.util.Map<String, Object> previous = new java.util.HashMap<>();

  private Interrupts(Runnable onSignal) {
    if (SIGNAL == null || HANDLER == null)
      return; // a JVM without sun.misc: Ctrl-C ends the process as usual
    Object handler =
        Proxy.newProxyInstance(
            HANDLER.getClassLoader(),
            new Class<?>[] {HANDLER},
            (proxy, method, args) -> {
              if (method.getName().equals("handle")) onSignal.run();
              else if (method.getName().equals("toString")) return "gkr interrupt handler";
              else if (method.getName().equals("hashCode")) return System.identityHashCode(proxy);
              else if (method.getName().equals("equals")) return proxy == args[0];
              return null;
            });
    for (String name : new String[] {"INT", "TERM"}) {
      try {
        previous.put(name, handle(name, handler));
      } catch (IllegalArgumentException e) {
        // ignored at startup or unknown on this platform: leave it as it is
      }
    }
  }

  private static void onSignal(
      java.util.concurrent.atomic.AtomicInteger count, Thread runner, Lines err) {
    if (count.incrementAndGet() == 1) {
      err.println("");
      err.println(
          "gkr: stopping: letting requests in flight finish (Ctrl-C again to stop at once)");
      runner.interrupt();
    } else {
      err.println(
          "gkr: stopped at once: no results file was written; the finished tasks are in the"
              + " checkpoint, and running the same command again resumes and writes the results");
      Runtime.getRuntime().halt(GkrCommand.INTERRUPTED);
    }
  }

  static Interrupts install(Thread runner, Lines err) {
    var count = new java.util.concurrent.atomic.AtomicInteger();
    return new Interrupts(() -> onSignal(count, runner, err));
  }

  /**
   * Runs {@code action} on each SIGINT or SIGTERM (on the JVM's signal thread) instead of ending
   * the process: a server stopped on request ({@code gkr simulator}) closes and exits 0.
   */
  static Interrupts onEach(Runnable action) {
    return new Interrupts(action);
  }

  void uninstall() {
    previous.forEach(Interrupts::handle);
  }

  /** {@code Signal.handle(new Signal(name), handler)}: the previous handler. */
  private static Object handle(String name, Object handler) {
    try {
      Object signal = SIGNAL.getConstructor(String.class).newInstance(name);
      Method handle = SIGNAL.getMethod("handle", SIGNAL, HANDLER);
      return handle.invoke(null, signal, handler);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof IllegalArgumentException iae) throw iae;
      throw new IllegalStateException("cannot handle SIG" + name, e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot handle SIG" + name, e);
    }
  }

  private static Class<?> load(String name) {
    try {
      return Class.forName(name);
    } catch (ClassNotFoundException e) {
      return null;
    }
  }
}
