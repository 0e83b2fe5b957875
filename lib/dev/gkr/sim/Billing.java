package dev.gkr.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the simulator reports for billing beside the token counts (the tier that served it),
 * deterministic so a bill can be computed by hand: {@code cachedContentTokenCount}, a part of
 * {@code promptTokenCount} as in the real API, and the tier that served the request ({@code
 * usageMetadata.trafficType}) when the request asked for one.
 *
 * <p>Cached tokens, like implicit caching of a long shared prefix: a system instruction of at least
 * {@link #CACHE_MIN_TOKENS} tokens is served from the cache whole; a prompt directive {@code
 * [[sim:cached=N]]} sets N cached tokens (at most the prompt's). Tier: a request with {@code
 * serviceTier} (or {@code service_tier}) {@code flex} is answered with {@code trafficType
 * ON_DEMAND_FLEX}, {@code standard} with {@code ON_DEMAND}; without it the answer reports no
 * traffic type, as the Gemini Developer API's answers seen so far do not.
 */
final class Billing {
  /**
   * The smallest system instruction the simulator caches (the real API's minimum for 2.5 Flash is
   * about 1,024).
   */
  static final int CACHE_MIN_TOKENS = 1024;

  private static final Pattern CACHED = Pattern.compile("\\[\\[sim:cached=(\\d{1,9})]]");

  private Billing() {}

  /**
   * The tier asked for, lower-cased, or empty; anything but flex or standard is a 400 (see {@link
   * #invalidTier}).
   */
  static String tier(JsonNode body) {
    return Request.field(body, "serviceTier").asText("").toLowerCase(Locale.ROOT);
  }

  /** The API's 400 message for an unknown tier, or null when the tier is fine. */
  static String invalidTier(String tier) {
    return switch (tier) {
      case "", "flex", "standard", "service_tier_unspecified", "unspecified" -> null;
      default -> "Invalid value at 'service_tier', \"" + tier + "\"";
    };
  }

  /** Adds cachedContentTokenCount and trafficType to an answer's usageMetadata. */
  static void report(JsonNode answer, Request req, String tier, int promptTokens) {
    if (!(answer instanceof ObjectNode root)
        || !(root.get("usageMetadata") instanceof ObjectNode u)) return;
    int cached = cached(req, promptTokens);
    if (cached > 0) u.put("cachedContentTokenCount", cached);
    if (tier.equals("flex")) u.put("trafficType", "ON_DEMAND_FLEX");
    else if (tier.equals("standard")) u.put("trafficType", "ON_DEMAND");
  }

  static int cached(Request req, int promptTokens) {
    Matcher m = CACHED.matcher(req.prompt());
    if (m.find()) return (int) Math.min(promptTokens, Long.parseLong(m.group(1)));
    int system = SimText.tokens(req.system());
    return system >= CACHE_MIN_TOKENS ? Math.min(system, promptTokens) : 0;
  }
}
