package io.quorumkv.node.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.quorumkv.common.wire.Address;
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
}
