package dev.gkr.internal.cost;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Whether room under maxCost may come back must not depend on a sum of doubles returning to 0: a
 * run whose slots all waited for room that a residue of 1e-17 "held" hung forever (a new user's
 * trial, 3 runs in 5).
 */
class LedgerReservationTest {

  @Test
  void onceEveryReservationIsReleasedNoRoomMeansStopNotWait() {
    Ledger ledger =
        new Ledger(Prices.builtIn(), List.of("gemini-2.5-flash"), PriceTier.STANDARD, 1.0, 0, 1);
    Random random = new Random(42);
    for (int round = 0; round < 200; round++) {
      List<Double> held = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        double r = ledger.tryReserve(1 + random.nextInt(5_000), 0);
        assertTrue(r > 0, "a small request fits under $1");
        held.add(r);
      }
      Collections.shuffle(held, random); // answers come back in any order
      for (int i = 0; i < held.size(); i++) {
        assertEquals(
            Ledger.NO_ROOM_YET,
            ledger.tryReserve(10_000_000, 0),
            "a request over the cap waits while reservations are held");
        ledger.release(held.get(i));
      }
      assertEquals(
          Ledger.NO_ROOM,
          ledger.tryReserve(10_000_000, 0),
          "round " + round + ": nothing is held, so nothing can free room");
    }
  }

  @Test
  void aRequestIsReservedAtTheDearestModelOfTheFallbackChain_issue26() {
    Prices prices = Prices.builtIn();
    Ledger flashOnly = new Ledger(prices, List.of("gemini-2.5-flash"), PriceTier.STANDARD, 1, 0, 1);
    Ledger withPro =
        new Ledger(
            prices, List.of("gemini-2.5-flash", "gemini-2.5-pro"), PriceTier.STANDARD, 1, 0, 1);
    Prices.Usage worst = new Prices.Usage(1_000, 0, Ledger.DEFAULT_OUTPUT_RESERVE, 0);
    double pro = prices.cost("gemini-2.5-pro", worst, PriceTier.STANDARD);
    assertTrue(pro > flashOnly.worstCase(1_000, 0, PriceTier.STANDARD), "pro is dearer");
    assertEquals(pro, withPro.worstCase(1_000, 0, PriceTier.STANDARD), 1e-12);
  }
}
