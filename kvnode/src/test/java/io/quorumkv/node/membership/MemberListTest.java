package io.quorumkv.node.membership;

import static io.quorumkv.common.wire.MemberState.ALIVE;
import static io.quorumkv.common.wire.MemberState.DEAD;
import static io.quorumkv.common.wire.MemberState.LEFT;
import static io.quorumkv.common.wire.MemberState.SUSPECT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.quorumkv.common.wire.Address;
import io.quorumkv.common.wire.MemberUpdate;
import io.quorumkv.node.Counters;
import io.quorumkv.node.NodeEvent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which facts change the view, and which JOINED / REMOVED / SUSPECTED events that writes. */
class MemberListTest {

  private static final Address SELF = new Address("127.0.0.1", 7001);
  private static final Address B = new Address("127.0.0.1", 7002);

  private final List<String> events = new ArrayList<>();
  private final Counters counters = new Counters();

  private MemberList list(int maxMembers) {
    return new MemberList(new Member(SELF, 1, 0, ALIVE, 0), maxMembers, e -> {
      if (e instanceof NodeEvent.Suspected s) {
        events.add("SUSPECTED " + s.subject().port() + " g" + s.generation() + " i"
            + s.incarnation());
      } else {
        NodeEvent.Membership m = (NodeEvent.Membership) e;
        events.add(m.change() + " " + m.subject().port() + " g" + m.generation());
      }
    }, counters);
  }

  @Test
  void aNodeRecordsItsOwnJoin() {
    list(10);
    assertEquals(List.of("JOINED 7001 g1"), events);
  }

  @Test
  void suspicionIsNoRemovalDeathIsOneAndARefutationRejoins() {
    MemberList l = list(10);
    l.apply(new MemberUpdate(B, 1, 0, ALIVE), 1);
    l.apply(new MemberUpdate(B, 1, 0, SUSPECT), 2);
    l.apply(new MemberUpdate(B, 1, 0, DEAD), 3);
    l.apply(new MemberUpdate(B, 1, 0, DEAD), 4); // repeated news changes nothing
    l.apply(new MemberUpdate(B, 1, 1, ALIVE), 5);
    assertEquals(List.of("JOINED 7001 g1", "JOINED 7002 g1", "SUSPECTED 7002 g1 i0",
        "REMOVED 7002 g1", "JOINED 7002 g1"), events);
  }

  @Test
  void eachSuspicionIsLoggedOnceAndAgainOnlyAfterARefutationOrInANewLife() {
    MemberList l = list(10);
    l.apply(new MemberUpdate(B, 1, 0, ALIVE), 1);
    l.apply(new MemberUpdate(B, 1, 0, SUSPECT), 2);
    l.apply(new MemberUpdate(B, 1, 0, SUSPECT), 3); // the same suspicion, heard again
    l.apply(new MemberUpdate(B, 1, 0, ALIVE), 4); // stale: the suspicion stands
    l.apply(new MemberUpdate(B, 1, 1, ALIVE), 5); // refuted
    l.apply(new MemberUpdate(B, 1, 1, SUSPECT), 6); // suspected again
    l.apply(new MemberUpdate(B, 2, 0, SUSPECT), 7); // a new life, heard of as suspect at once
    assertEquals(List.of("JOINED 7001 g1", "JOINED 7002 g1", "SUSPECTED 7002 g1 i0",
        "SUSPECTED 7002 g1 i1", "REMOVED 7002 g1", "JOINED 7002 g2", "SUSPECTED 7002 g2 i0"),
        events);
    assertEquals(MemberList.Outcome.IGNORED, l.apply(new MemberUpdate(B, 2, 0, SUSPECT), 8));
    assertEquals(7, events.size(), "a repeated suspicion is not logged: " + events);
  }

  @Test
  void aSuspicionLeavesTheViewAsItWas() {
    MemberList l = list(10);
    l.apply(new MemberUpdate(B, 1, 0, ALIVE), 1);
    long version = l.viewVersion();
    l.apply(new MemberUpdate(B, 1, 0, SUSPECT), 2);
    assertEquals(version, l.viewVersion());
    assertEquals(0, counters.get("swim.removed"));
    assertEquals(2, l.clusterSize());
  }

  @Test
  void aNewGenerationEndsTheOldLifeAndStartsANewOne() {
    MemberList l = list(10);
    l.apply(new MemberUpdate(B, 1, 4, ALIVE), 1);
    l.apply(new MemberUpdate(B, 2, 0, ALIVE), 2);
    assertEquals(List.of("JOINED 7001 g1", "JOINED 7002 g1", "REMOVED 7002 g1", "JOINED 7002 g2"),
        events);
  }

  @Test
  void unknownDeadMembersAreNotAdded() {
    MemberList l = list(10);
    assertEquals(MemberList.Outcome.IGNORED, l.apply(new MemberUpdate(B, 1, 0, DEAD), 1));
    assertEquals(MemberList.Outcome.IGNORED, l.apply(new MemberUpdate(B, 1, 0, LEFT), 1));
    assertNull(l.get(B));
    assertEquals(List.of("JOINED 7001 g1"), events);
  }

  @Test
  void theListIsBounded() {
    MemberList l = list(2);
    l.apply(new MemberUpdate(B, 1, 0, ALIVE), 1);
    Address c = new Address("127.0.0.1", 7003);
    assertEquals(MemberList.Outcome.IGNORED, l.apply(new MemberUpdate(c, 1, 0, ALIVE), 1));
    assertEquals(1, counters.get("swim.members.full"));
  }

  @Test
  void deadEntriesAreForgottenAfterRetentionOnly() {
    MemberList l = list(10);
    l.apply(new MemberUpdate(B, 1, 0, ALIVE), 0);
    l.apply(new MemberUpdate(B, 1, 0, DEAD), 100);
    assertEquals(List.of(), l.forgetExpired(1100, 1000));
    assertEquals(List.of(B), l.forgetExpired(1101, 1000));
    assertNull(l.get(B));
  }

  @Test
  void factsAboutSelfAreTheProtocolsBusiness() {
    MemberList l = list(10);
    assertThrows(IllegalArgumentException.class,
        () -> l.apply(new MemberUpdate(SELF, 1, 0, SUSPECT), 1));
  }
}
