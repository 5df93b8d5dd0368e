package io.quorumkv.node.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorumkv.common.wire.Address;
import org.junit.jupiter.api.Test;

class RandomDropFilterTest {

  private static final Address FROM = new Address("127.0.0.1", 7001);

  @Test
  void rateZeroAdmitsAllAndRateOneDropsAll() {
    RandomDropFilter none = new RandomDropFilter(0.0, 1);
    RandomDropFilter all = new RandomDropFilter(1.0, 1);
    for (int i = 0; i < 10_000; i++) {
      assertTrue(none.admits(FROM, 10));
      assertTrue(!all.admits(FROM, 10));
    }
  }

  @Test
  void sameSeedDropsTheSameDatagramsAtAboutTheRate() {
    RandomDropFilter first = new RandomDropFilter(0.3, 42);
    RandomDropFilter second = new RandomDropFilter(0.3, 42);
    int dropped = 0;
    for (int i = 0; i < 10_000; i++) {
      boolean admitted = first.admits(FROM, 10);
      assertEquals(admitted, second.admits(FROM, 10), "datagram " + i);
      dropped += admitted ? 0 : 1;
    }
    assertTrue(dropped > 2_700 && dropped < 3_300, "dropped " + dropped);
  }

  @Test
  void dropsOnlyInsideItsWindow() {
    long[] clock = {999};
    RandomDropFilter windowed = new RandomDropFilter(1.0, 1, () -> clock[0], 1000, 2000);
    assertTrue(windowed.admits(FROM, 10), "before the window");
    clock[0] = 1000;
    assertTrue(!windowed.admits(FROM, 10), "inside");
    clock[0] = 1999;
    assertTrue(!windowed.admits(FROM, 10), "inside");
    clock[0] = 2000;
    assertTrue(windowed.admits(FROM, 10), "after: the window is half-open");
  }

  @Test
  void rejectsRatesOutsideZeroToOne() {
    assertThrows(IllegalArgumentException.class, () -> new RandomDropFilter(-0.1, 1));
    assertThrows(IllegalArgumentException.class, () -> new RandomDropFilter(1.1, 1));
    assertThrows(IllegalArgumentException.class, () -> new RandomDropFilter(Double.NaN, 1));
  }
}
