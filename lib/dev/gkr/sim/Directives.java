package dev.gkr.sim;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The faults a prompt asks for with {@code [[sim:NAME]]} (every time) or {@code [[sim:NAMExN]]}
 * (its first N requests): {@code safety}, {@code empty}, {@code bad-request}, {@code 500}, {@code
 * 503}, {@code 504}, {@code 429}, {@code reset}, {@code reset-midway}, {@code truncated}, {@code
 * html502}; and {@code schema-mismatch}, which shapes the answer ({@link #asks}). A count is kept
 * per directive and prompt, shared by synchronous calls and batch jobs.
 */
final class Directives {
  private static final Pattern DIRECTIVE = Pattern.compile("\\[\\[sim:([a-z0-9-]+?)(?:x(\\d+))?]]");

  private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();

  /** The first fault the prompt still asks for, or null. */
  Fault fault(String prompt) {
    Matcher m = DIRECTIVE.matcher(prompt);
    while (m.find()) {
      Fault f = named(m.group(1));
      if (f != null && due(m, prompt)) return f;
    }
    return null;
  }

  /**
   * Whether the prompt asks for {@code name} (a directive that shapes the answer rather than fail
   * it, as {@code schema-mismatch}) on this request; counted like the faults.
   */
  boolean asks(String name, String prompt) {
    Matcher m = DIRECTIVE.matcher(prompt);
    while (m.find()) if (m.group(1).equals(name) && due(m, prompt)) return true;
    return false;
  }

  /** Counts a request against {@code [[sim:NAMExN]]}; true while it is among the first N. */
  private boolean due(Matcher m, String prompt) {
    if (m.group(2) == null) return true;
    int seen =
        counts
            .computeIfAbsent(m.group() + "\u0000" + prompt, k -> new AtomicInteger())
            .getAndIncrement();
    return seen < Integer.parseInt(m.group(2));
  }

  private static Fault named(String name) {
    return switch (name) {
      case "safety" -> Fault.SAFETY_BLOCK;
      case "empty" -> Fault.EMPTY_ANSWER;
      case "bad-request" -> Fault.BAD_REQUEST;
      case "500" -> Fault.INTERNAL;
      case "503" -> Fault.UNAVAILABLE;
      case "504" -> Fault.DEADLINE_EXCEEDED;
      case "429" -> Fault.RATE_LIMIT;
      case "reset" -> Fault.CONNECTION_RESET;
      case "reset-midway" -> Fault.RESET_MIDWAY;
      case "truncated" -> Fault.TRUNCATED_BODY;
      case "html502" -> Fault.HTML_502;
      default -> null;
    };
  }
}
