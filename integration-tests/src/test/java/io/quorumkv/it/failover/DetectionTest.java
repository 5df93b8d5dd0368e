package io.quorumkv.it.failover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorumkv.common.wire.Address;
import io.quorumkv.node.NodeEvent;
import io.quorumkv.node.NodeEvent.MembershipChange;
import io.quorumkv.node.emul.TimedEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** One run read out of hand-made event logs: who removed the victim when, and what else. */
class DetectionTest {

  private static final Address A = addr(7101);
  private static final Address B = addr(7102);
  private static final Address C = addr(7103);
  private static final Address VICTIM = addr(7104);
  private static final long SIGNAL = 1_000_000;

  private static Address addr(int port) {
    return new Address("127.0.0.1", port);
  }

  private static TimedEvent removed(long t, Address observer, Address subject) {
    return new TimedEvent(t, new NodeEvent.Membership(observer, MembershipChange.REMOVED,
        subject, 5, 0));
  }

  private static TimedEvent joined(long t, Address observer, Address subject) {
    return new TimedEvent(t, new NodeEvent.Membership(observer, MembershipChange.JOINED,
        subject, 5, 1));
  }

  private static TimedEvent suspected(long t, Address observer, Address subject, long inc) {
    return new TimedEvent(t, new NodeEvent.Suspected(observer, subject, 5, inc));
  }

  @Test
  void theDetectionTimeIsTheLastSurvivorsRemovalAfterTheSignal() {
    List<TimedEvent> events = List.of(
        removed(SIGNAL - 5_000, A, VICTIM), // an earlier run's
        suspected(SIGNAL + 300, B, VICTIM, 0),
        suspected(SIGNAL + 250, A, VICTIM, 0), // logs are merged out of order
        removed(SIGNAL + 900, A, VICTIM),
        removed(SIGNAL + 1_250, C, VICTIM),
        removed(SIGNAL + 1_100, B, VICTIM),
        removed(SIGNAL + 1_300, C, VICTIM)); // a second removal does not count
    Detection d = Detection.of(VICTIM, List.of(A, B, C), SIGNAL, Long.MAX_VALUE, events);
    assertTrue(d.complete());
    assertEquals(1_250, d.allRemovedMillis());
    assertEquals(900, d.firstRemovedMillis());
    assertEquals(250, d.firstSuspectedMillis());
    assertTrue(d.collateral().none(), d.collateral().describe(SIGNAL));
  }

  @Test
  void aSurvivorThatHasNotRemovedTheVictimKeepsTheRunIncomplete() {
    Detection d = Detection.of(VICTIM, List.of(A, B, C), SIGNAL, Long.MAX_VALUE, List.of(
        removed(SIGNAL + 900, A, VICTIM), removed(SIGNAL + 950, C, VICTIM),
        removed(SIGNAL + 990, VICTIM, B))); // not a survivor's word about the victim
    assertFalse(d.complete());
    assertEquals(Set.of(B), d.missing());
    assertEquals(-1, d.firstSuspectedMillis());
  }

  @Test
  void suspicionsAndRemovalsOfOthersOrOfTheVictimAfterItCameBackAreCollateral() {
    long back = SIGNAL + 2_000;
    List<TimedEvent> events = new ArrayList<>(List.of(
        suspected(SIGNAL + 200, A, VICTIM, 0),
        removed(SIGNAL + 800, A, VICTIM), removed(SIGNAL + 820, B, VICTIM),
        removed(SIGNAL + 840, C, VICTIM),
        joined(back + 100, A, VICTIM), // the rejoin itself is no alarm
        suspected(back + 150, VICTIM, C, 0), // the resumed node's stale probe
        suspected(back + 160, A, C, 0),
        suspected(back + 300, B, VICTIM, 1),
        removed(back + 900, B, VICTIM)));
    Detection d = Detection.of(VICTIM, List.of(A, B, C), SIGNAL, back, events);
    assertTrue(d.complete());
    assertEquals(840, d.allRemovedMillis());
    Alarms other = d.collateral();
    assertEquals(2, other.suspicions(), "C at incarnation 0 and the victim at 1");
    assertEquals(3, other.suspicionLines());
    assertEquals(1, other.removals());
    assertEquals(1, other.removedMembers());
    assertEquals("2 suspicions (127.0.0.1:7103 i0 by 2 at +2150 ms; 127.0.0.1:7104 i1 by 1 at"
        + " +2300 ms), 1 removal (127.0.0.1:7104 by 127.0.0.1:7102 at +2900 ms)",
        other.describe(SIGNAL));
  }

  @Test
  void manyAlarmsAreListedUpToALimit() {
    List<TimedEvent> events = new ArrayList<>();
    for (int i = 0; i < Alarms.DETAILS + 3; i++) {
      events.add(suspected(SIGNAL + i, A, B, i));
      events.add(suspected(SIGNAL + i, C, B, i));
    }
    Alarms alarms = Alarms.among(events);
    assertEquals("11 suspicions (22 lines), 0 removals", alarms.brief());
    String text = alarms.describe(SIGNAL);
    assertTrue(text.startsWith("11 suspicions (127.0.0.1:7102 i0 by 2 at +0 ms; "), text);
    assertTrue(text.endsWith("127.0.0.1:7102 i7 by 2 at +7 ms; and 3 more), 0 removals"), text);
  }

  @Test
  void oneLiveMemberRemovedByThreeObserversIsThreeLinesAndOneMember() {
    Alarms alarms = Alarms.among(List.of(removed(1, A, VICTIM), removed(2, B, VICTIM),
        removed(3, C, VICTIM), removed(4, A, B)));
    assertEquals(4, alarms.removals());
    assertEquals(2, alarms.removedMembers());
  }

  @Test
  void noAlarmsReadsAsZero() {
    assertEquals("0 suspicions, 0 removals", Alarms.among(List.of(joined(1, A, B)))
        .describe(0));
  }
}
