package io.quorumkv.node.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quorumkv.common.ring.HashRing;
import io.quorumkv.common.wire.Address;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** What counts as proof that every other member holds our tombstones, and what undoes it. */
class ReconciliationTest {

  private static final Address A = new Address("127.0.0.1", 7001);
  private static final Address B = new Address("127.0.0.1", 7002);
  private static final Address C = new Address("127.0.0.1", 7003);

  private static MembershipView viewOf(Address... members) {
    TreeMap<Address, Long> generations = new TreeMap<>();
    for (Address m : members) {
      generations.put(m, 1L);
    }
    return new MembershipView(HashRing.of(List.of(members)), generations);
  }

  @Test
  void aloneThereIsNoBoundAndEveryOtherMemberMustHaveCompletedASession() {
    assertEquals(Long.MAX_VALUE, new Reconciliation(A, viewOf(A)).reconciledBeforeMillis());
    Reconciliation r = new Reconciliation(A, viewOf(A, B, C));
    assertEquals(Long.MIN_VALUE, r.reconciledBeforeMillis(), "no session yet");
    r.opened("b");
    r.completed("b", B, 1000);
    assertEquals(Long.MIN_VALUE, r.reconciledBeforeMillis(), "C not yet");
    r.opened("c");
    r.completed("c", C, 2000);
    assertEquals(1000, r.reconciledBeforeMillis(), "the least of the members'");
    r.opened("b2");
    r.completed("b2", B, 3000);
    assertEquals(2000, r.reconciledBeforeMillis(), "the latest session replaces");
    r.opened("x");
    r.completed("x", new Address("127.0.0.1", 7009), 0);
    assertEquals(2000, r.reconciledBeforeMillis(), "a non-member is not kept");
  }

  @Test
  void aLateTombstoneLowersWhatEndedAndWhatIsOpenAndAViewChangeForgetsAll() {
    Reconciliation r = new Reconciliation(A, viewOf(A, B, C));
    r.opened("b");
    r.completed("b", B, 5000);
    r.opened("c"); // its walk may already have passed the key of what arrives next
    r.tombstoneStored(4000);
    r.completed("c", C, 6000);
    assertEquals(4000, r.reconciledBeforeMillis());
    r.opened("c2");
    r.abandoned("c2");
    r.tombstoneStored(9000); // a fresh delete: newer than every cutoff, lowers nothing
    assertEquals(4000, r.reconciledBeforeMillis());
    r.viewChanged(viewOf(A, B, C));
    assertEquals(Long.MIN_VALUE, r.reconciledBeforeMillis(), "proved under the old ring");
  }
}
