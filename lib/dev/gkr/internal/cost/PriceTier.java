package dev.gkr.internal.cost;

import java.util.Locale;
import java.util.Optional;

/**
 * Which price a request is billed at: the synchronous standard tier, Batch Mode, or the Flex tier
 * (both 50 % off). {@link #STANDARD} and {@link #FLEX} can be asked for on a synchronous request
 * ({@code serviceTier}); {@link #BATCH} is what results collected from a batch job cost.
 */
public enum PriceTier {
  STANDARD,
  BATCH,
  FLEX;

  /**
   * The name used in the price file, the {@code service_tier} column and the options: {@code
   * standard}, {@code batch}, {@code flex}.
   */
  public String code() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * A tier a user may request on a synchronous call: {@code standard} or {@code flex} (any case).
   */
  public static PriceTier requestable(String text) {
    String t = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
    return switch (t) {
      case "standard" -> STANDARD;
      case "flex" -> FLEX;
      default ->
          throw new IllegalArgumentException(
              "serviceTier must be flex or standard, was "
                  + (text == null ? "null" : "'" + text + "'"));
    };
  }

  /**
   * The tier an answer reports in {@code usageMetadata.trafficType} (the SDK's TrafficType), or
   * empty when it reports none or one gkr has no price for (priority, provisioned throughput).
   */
  static Optional<PriceTier> ofTrafficType(String trafficType) {
    return switch (trafficType == null ? "" : trafficType.toUpperCase(Locale.ROOT)) {
      case "ON_DEMAND" -> Optional.of(STANDARD);
      case "ON_DEMAND_FLEX" -> Optional.of(FLEX);
      default -> Optional.empty();
    };
  }
}
