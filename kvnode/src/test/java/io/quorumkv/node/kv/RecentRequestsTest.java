package io.quorumkv.node.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.quorumkv.common.wire.Address;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The dedupe memory keeps answers per (client, request id) within both of its bounds. */
class RecentRequestsTest {

  private static final Address C1 = new Address("127.0.0.1", 9001);
  private static final Address C2 = new Address("127.0.0.1", 9002);

  @Test
  void answersArePerClientAndRequestIdAndTheOldestGoFirst() {
    RecentRequests<String> r = new RecentRequests<>(2, s -> 0);
    r.remember(C1, 1, "a");
    r.remember(C2, 1, "b");
    assertEquals("a", r.get(C1, 1));
    assertEquals("b", r.get(C2, 1));
    assertNull(r.get(C1, 2));
    r.remember(C1, 2, "c");
    assertNull(r.get(C1, 1), "beyond the capacity the oldest is forgotten");
    assertEquals(2, r.size());
  }

  @Test
  void heavyAnswersAreBoundedByBytesNotOnlyByCount() {
    int payload = 1 << 20; // 1 MiB each
    RecentRequests<String> r = new RecentRequests<>(1000, s -> payload);
    for (int i = 0; i < 100; i++) {
      r.remember(C1, i, "x");
    }
    long perEntry = payload + RecentRequests.ENTRY_BYTES;
    assertEquals(RecentRequests.MAX_WEIGHT_BYTES / perEntry, r.size());
    assertEquals("x", r.get(C1, 99), "the newest stays");
  }

  /**
   * The arrays against the plain model they replace, a linked hash map in insertion order with
   * the same two bounds, over seeded random traffic: few clients and ids so that repeats and
   * updates are common, capacities from 1 past the arrays' first size so that they grow, and
   * weights heavy enough that the byte bound evicts too.
   */
  @Test
  void behavesAsAnInsertionOrderedMapWithBothBounds() {
    SplittableRandom root = new SplittableRandom(0x5EC7L);
    for (int capacity : new int[] {1, 2, 3, 7, 255, 256, 257, 1000}) {
      long seed = root.nextLong();
      SplittableRandom random = new SplittableRandom(seed);
      RecentRequests<Integer> r = new RecentRequests<>(capacity, v -> v);
      LinkedHashMap<String, Integer> model = new LinkedHashMap<>();
      long modelWeight = 0;
      for (int op = 0; op < 20_000; op++) {
        Address client = random.nextBoolean() ? C1 : C2;
        long id = random.nextInt(capacity * 3 + 2);
        String key = client + "#" + id;
        String replay = "capacity " + capacity + ", seed " + seed + ", op " + op;
        if (random.nextInt(3) == 0) {
          assertEquals(model.get(key), r.get(client, id), replay);
          continue;
        }
        // Mostly light answers; now and then one of 1 to 8 MiB, so the byte bound bites.
        int payload = random.nextInt(50) == 0 ? (1 + random.nextInt(8)) << 20 : random.nextInt(100);
        Integer old = model.put(key, payload);
        modelWeight += RecentRequests.ENTRY_BYTES + payload
            - (old == null ? 0 : RecentRequests.ENTRY_BYTES + old);
        Iterator<Integer> eldest = model.values().iterator();
        while (model.size() > 1 && (model.size() > capacity
            || modelWeight > RecentRequests.MAX_WEIGHT_BYTES)) {
          modelWeight -= RecentRequests.ENTRY_BYTES + eldest.next();
          eldest.remove();
        }
        r.remember(client, id, payload);
        assertEquals(model.size(), r.size(), replay);
      }
      for (String key : model.keySet()) {
        String[] parts = key.split("#");
        Address client = Address.parse(parts[0]);
        assertEquals(model.get(key), r.get(client, Long.parseLong(parts[1])), key);
      }
    }
  }
}
