package io.quorumkv.node.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorumkv.common.time.Version;
import io.quorumkv.common.wire.Address;
import io.quorumkv.common.wire.KeyRecord;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The hint book: who is missing a record, when it is offered again, and what settles it. */
class HintsTest {

  private static final Address A = new Address("127.0.0.1", 7001);
  private static final Address B = new Address("127.0.0.1", 7002);
  private static final Address C = new Address("127.0.0.1", 7003);
  private static final Address D = new Address("127.0.0.1", 7004);

  private static KeyRecord record(String key, long version) {
    return new KeyRecord(key, "v" + version, false, new Version(version, A));
  }

  @Test
  void aHintGoesToTheOwnersThatDidNotStoreItUntilTheyAcknowledge() {
    Hints hints = new Hints(10_000, 100);
    KeyRecord r = record("k", 5);
    hints.add(r, Set.of(A, B), List.of(A, B, C), 0);
    assertEquals(List.of(new Hints.Delivery(C, r)), hints.due(0, 10));
    assertTrue(hints.acknowledged(C, r));
    assertTrue(hints.isEmpty());
  }

  @Test
  void offersBackOffAndExpire() {
    Hints hints = new Hints(1_000, 100);
    hints.add(record("k", 5), Set.of(A, B), List.of(A, B, C), 0);
    assertEquals(1, hints.due(0, 10).size());
    assertEquals(0, hints.due(99, 10).size());
    assertEquals(1, hints.due(100, 10).size()); // waited 1 interval
    assertEquals(0, hints.due(299, 10).size());
    assertEquals(1, hints.due(300, 10).size()); // then 2
    assertEquals(0, hints.due(1_000, 10).size()); // expired
    assertTrue(hints.isEmpty());
  }

  @Test
  void aRingChangeAimsTheHintAtTheNewOwners() {
    Hints hints = new Hints(10_000, 100);
    KeyRecord r = record("k", 5);
    hints.add(r, Set.of(A, B), List.of(A, B, C), 0);
    hints.ownersChanged(key -> List.of(A, B, D), 50); // C died, D took its place
    assertEquals(List.of(new Hints.Delivery(D, r)), hints.due(50, 10));
    hints.ownersChanged(key -> List.of(A, B), 60); // nobody else owns it: nothing to do
    assertTrue(hints.isEmpty());
  }

  @Test
  void onlyTheNewestRecordOfAKeyIsKeptAndAStaleAckSettlesNothing() {
    Hints hints = new Hints(10_000, 100);
    hints.add(record("k", 5), Set.of(A, B), List.of(A, B, C), 0);
    hints.add(record("k", 7), Set.of(A), List.of(A, B, C), 0);
    hints.add(record("k", 6), Set.of(A), List.of(A, B, C), 0); // older: ignored
    assertEquals(List.of(new Hints.Delivery(B, record("k", 7)),
        new Hints.Delivery(C, record("k", 7))), hints.due(0, 10));
    assertFalse(hints.acknowledged(B, record("k", 5)));
    assertEquals(1, hints.size());
  }

  @Test
  void theBookIsBoundedAndCountsWhatItForgot() {
    Hints hints = new Hints(10_000, 100);
    for (int i = 0; i < Hints.MAX_HINTS + 5; i++) {
      hints.add(record("k" + i, 5), Set.of(A), List.of(A, B), 0);
    }
    assertEquals(Hints.MAX_HINTS, hints.size());
    assertEquals(5, hints.dropped());
    assertTrue(hints.bytes() > 0);
  }
}
