package dev.gkr.internal.cost;

/**
 * The smallest explicit context cache a model takes, in tokens. Google's docs keep changing it
 * (1,024 / 2,048 on 2.5, 4,096 on 3.x in various versions), so the API's 400 has the last word;
 * this table is what gkr's plan and the simulator both go by.
 */
public final class CacheSizes {
  private CacheSizes() {}

  /** 4,096 on 3.x, 2,048 on 2.5 Pro, 1,024 otherwise; a {@code models/} prefix is ignored. */
  public static int minimumTokens(String model) {
    String m = Prices.bare(model);
    if (m.startsWith("gemini-3")) return 4096;
    if (m.startsWith("gemini-2.5-pro")) return 2048;
    return 1024;
  }
}
