package dev.gkr.internal.engine;

import dev.gkr.NetworkCause;
import dev.gkr.Outcome;
import dev.gkr.Slowdown;
import dev.gkr.internal.common.Durations;
import java.time.Duration;

/** What the synchronous part tells the user when the run changes course. */
public final class EngineNotices {
  private EngineNotices() {}

  static String modelNotFound(String model, Outcome.Failure f) {
    return "model "
        + model
        + " was not found ("
        + f.summary()
        + "): the run stops and nothing more is sent; check the model name (and the base URL), then"
        + " run again to resume";
  }

  /** Gemini cannot be reached: what failed and what to check. */
  static String unreachable(NetworkCause cause, NetworkWatch watch) {
    String check =
        switch (cause) {
          case UNKNOWN_HOST ->
              "the network and DNS, a proxy (HTTPS_PROXY), and the base URL's host";
          case CONNECTION_REFUSED -> "the base URL's host and port, and a proxy (HTTPS_PROXY)";
          case TLS_HANDSHAKE ->
              "a proxy or firewall that intercepts TLS, the system clock, and the base URL";
          default -> "the network, a proxy or firewall (HTTPS_PROXY), and the base URL";
        };
    return "Gemini cannot be reached: not one request had an answer, every key failed with "
        + watch.lastMessage()
        + "; the run stops and nothing more is sent; check "
        + check
        + ", then run again to resume";
  }

  /** A storm began (the run is throttled) or ended. */
  public static String throttle(Slowdown sd) {
    return sd.throttled()
        ? "run throttled: "
            + sd.cause()
            + " across most keys; one probe at a time, backing off (not counted against keys or"
            + " task retries)"
        : "storm over after " + Durations.format(sd.throttledFor()) + " in all; back to full speed";
  }

  public static String stormOutlasted(String cause, Duration maxWait) {
    return "the run was throttled ("
        + cause
        + ") for "
        + Durations.format(maxWait)
        + " (maxWait): it stops; unfinished tasks get error_type overloaded; run again to resume";
  }
}
