package io.quorumkv.it.scale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorumkv.common.ring.HashRing;
import io.quorumkv.common.wire.Address;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The scale runs' keys and values, and the placement arithmetic their checks rely on. */
class ScaleKeysTest {

  static final List<Address> FIVE = List.of(new Address("127.0.0.1", 7200),
      new Address("127.0.0.1", 7201), new Address("127.0.0.1", 7202),
      new Address("127.0.0.1", 7203), new Address("127.0.0.1", 7204));

  @Test
  void keysAndValuesHaveTheAdvertisedSizesAndDiffer() {
    for (long i : new long[] {0, 42, 999_999, ScaleKeys.MAX_KEYS - 1}) {
      assertEquals(ScaleKeys.KEY_BYTES, ScaleKeys.key(i).getBytes(StandardCharsets.UTF_8).length);
      assertEquals(ScaleKeys.VALUE_BYTES,
          ScaleKeys.value(i).getBytes(StandardCharsets.UTF_8).length);
    }
    assertEquals("key-000000000042", ScaleKeys.key(42));
    assertTrue(ScaleKeys.value(42).startsWith("value-000000000042-"));
    assertNotEquals(ScaleKeys.value(1), ScaleKeys.value(2));
  }

  @Test
  void ownedCountsAddUpToThreeReplicasOfEveryKey() {
    Map<Address, Long> counts = ScaleKeys.ownedCounts(FIVE, 3000);
    assertEquals(3 * 3000, counts.values().stream().mapToLong(Long::longValue).sum());
    assertEquals(FIVE, List.copyOf(counts.keySet()));
    Map<Address, Long> three = ScaleKeys.ownedCounts(FIVE.subList(0, 3), 500);
    three.values().forEach(c -> assertEquals(500L, c));
  }

  /**
   * Why counting is an exact check of re-replication: when a member dies, every surviving owner
   * of a key stays an owner, so a survivor never has to drop a key, and one that holds as many
   * keys as it owns holds exactly the keys it owns.
   */
  @Test
  void removingAMemberKeepsEverySurvivingOwner() {
    HashRing before = ScaleKeys.ring(FIVE);
    for (Address dead : FIVE) {
      List<Address> alive = new ArrayList<>(FIVE);
      alive.remove(dead);
      HashRing after = ScaleKeys.ring(alive);
      for (long i = 0; i < 2000; i++) {
        List<Address> survivors = new ArrayList<>(ScaleKeys.owners(before, i));
        survivors.remove(dead);
        List<Address> owners = ScaleKeys.owners(after, i);
        assertEquals(3, owners.size());
        assertTrue(owners.containsAll(survivors), ScaleKeys.key(i) + " after " + dead);
      }
    }
  }
}
