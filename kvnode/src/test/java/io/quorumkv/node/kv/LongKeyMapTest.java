package io.quorumkv.node.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The coordinator's map of request ids answers as a {@code Map<Long, V>} would. */
class LongKeyMapTest {

  @Test
  void putGetRemove() {
    LongKeyMap<String> map = new LongKeyMap<>();
    assertNull(map.put(7, "a"));
    assertEquals("a", map.put(7, "b"), "a put returns the value it replaced");
    assertNull(map.put(-3, "c"), "negative keys are keys too");
    assertEquals("b", map.get(7));
    assertEquals("c", map.get(-3));
    assertTrue(map.containsKey(7));
    assertEquals(2, map.size());
    assertEquals("b", map.remove(7));
    assertNull(map.remove(7));
    assertFalse(map.containsKey(7));
    assertEquals(1, map.size());
  }

  @Test
  void keyZeroIsNeverPresent() {
    LongKeyMap<String> map = new LongKeyMap<>();
    assertThrows(IllegalArgumentException.class, () -> map.put(0, "x"));
    // A request's commit id is 0 until its commit begins, and is removed regardless.
    assertNull(map.get(0));
    assertNull(map.remove(0));
    assertFalse(map.containsKey(0));
    assertEquals(0, map.size());
  }

  /**
   * Seeded runs against a {@code HashMap}: consecutive ids, as the coordinator hands out, with
   * removals in any order (which shift entries back within probe runs) and growth throughout.
   */
  @Test
  void matchesAHashMap() {
    for (long seed = 1; seed <= 20; seed++) {
      Random random = new Random(seed);
      LongKeyMap<Long> map = new LongKeyMap<>();
      Map<Long, Long> reference = new HashMap<>();
      long next = 1;
      for (int step = 0; step < 20_000; step++) {
        long key = random.nextInt(3) == 0 ? next++ : Math.max(1, next - random.nextInt(200));
        long value = random.nextLong();
        switch (random.nextInt(4)) {
          case 0, 1 -> assertEquals(reference.put(key, value), map.put(key, value));
          case 2 -> assertEquals(reference.remove(key), map.remove(key));
          default -> assertEquals(reference.get(key), map.get(key));
        }
        assertEquals(reference.size(), map.size(), "seed " + seed + " step " + step);
      }
      for (Map.Entry<Long, Long> e : reference.entrySet()) {
        assertEquals(e.getValue(), map.get(e.getKey()), "seed " + seed);
      }
    }
  }
}
