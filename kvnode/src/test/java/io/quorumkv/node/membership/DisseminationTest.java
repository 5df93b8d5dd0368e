package io.quorumkv.node.membership;

import static io.quorumkv.common.wire.MemberState.ALIVE;
import static io.quorumkv.common.wire.MemberState.SUSPECT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorumkv.common.wire.Address;
import io.quorumkv.common.wire.MemberUpdate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The transmit-limited piggyback queue. */
class DisseminationTest {

  private static final Address A = new Address("127.0.0.1", 7001);
  private static final Address B = new Address("127.0.0.1", 7002);
  private static final Address C = new Address("127.0.0.1", 7003);

  @Test
  void eachUpdateIsSentUpToTheRetransmitLimitThenDropped() {
    Dissemination q = new Dissemination();
    MemberUpdate a = new MemberUpdate(A, 1, 0, ALIVE);
    q.enqueue(a);
    assertEquals(List.of(a), q.take(16, 3));
    assertEquals(List.of(a), q.take(16, 3));
    assertEquals(List.of(a), q.take(16, 3));
    assertTrue(q.isEmpty());
    assertEquals(List.of(), q.take(16, 3));
  }

  @Test
  void aNewerFactReplacesThePendingOneAndStartsAfresh() {
    Dissemination q = new Dissemination();
    q.enqueue(new MemberUpdate(A, 1, 0, ALIVE));
    q.take(16, 2);
    MemberUpdate suspect = new MemberUpdate(A, 1, 0, SUSPECT);
    q.enqueue(suspect);
    assertEquals(1, q.size());
    assertEquals(List.of(suspect), q.take(16, 2));
    assertEquals(List.of(suspect), q.take(16, 2));
    assertTrue(q.isEmpty());
  }

  @Test
  void leastSentFirstNewestFirstAndAtMostMax() {
    Dissemination q = new Dissemination();
    MemberUpdate a = new MemberUpdate(A, 1, 0, ALIVE);
    MemberUpdate b = new MemberUpdate(B, 1, 0, ALIVE);
    q.enqueue(a);
    q.take(1, 10); // a sent once
    q.enqueue(b);
    MemberUpdate c = new MemberUpdate(C, 1, 0, ALIVE);
    q.enqueue(c);
    assertEquals(List.of(c, b), q.take(2, 10));
    assertEquals(List.of(c, b, a), q.take(3, 10), "all sent once now: newest first");
  }
}
