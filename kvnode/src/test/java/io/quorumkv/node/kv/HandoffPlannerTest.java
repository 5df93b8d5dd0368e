package io.quorumkv.node.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.quorumkv.common.ring.HashRing;
import io.quorumkv.common.wire.Address;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Whom a holder offers a key to, by the key's old and new owners and the members' lives. */
class HandoffPlannerTest {

  private static final Address A = new Address("127.0.0.1", 7001);
  private static final Address B = new Address("127.0.0.1", 7002);
  private static final Address C = new Address("127.0.0.1", 7003);
  private static final Address D = new Address("127.0.0.1", 7004);

  /** A view with these members at these generations (the ring is not used by the planner). */
  private static MembershipView view(Map<Address, Long> generations) {
    return new MembershipView(HashRing.of(generations.keySet(), 1), new TreeMap<>(generations));
  }

  private final MembershipView before = view(Map.of(A, 1L, B, 1L, C, 1L, D, 1L));

  @Test
  void anOwnerWhoseOwnersDidNotChangeDoesNothing() {
    assertNull(HandoffPlanner.plan(A, List.of(A, B, C), List.of(A, B, C), before, before));
  }

  @Test
  void ownersOfAKeyWhoseOwnersChangedOfferToTheOtherOwners() {
    MembershipView after = view(Map.of(A, 1L, B, 1L, D, 1L)); // C died, D takes its place
    assertEquals(new HandoffPlanner.Plan(List.of(B, D), false),
        HandoffPlanner.plan(A, List.of(A, B, C), List.of(A, B, D), before, after));
    assertEquals(new HandoffPlanner.Plan(List.of(A, D), false),
        HandoffPlanner.plan(B, List.of(A, B, C), List.of(A, B, D), before, after));
  }

  @Test
  void aFormerOwnerOffersToAllNewOwnersAndDropsAfterwards() {
    MembershipView after = view(Map.of(A, 1L, B, 1L, C, 1L, D, 1L));
    assertEquals(new HandoffPlanner.Plan(List.of(A, D, B), true),
        HandoffPlanner.plan(C, List.of(A, B, C), List.of(A, D, B), before, after));
  }

  @Test
  void aRestartedOwnerIsRefilledThoughTheListIsTheSame() {
    MembershipView after = view(Map.of(A, 1L, B, 2L, C, 1L, D, 1L)); // B restarted: new life
    assertEquals(new HandoffPlanner.Plan(List.of(B, C), false),
        HandoffPlanner.plan(A, List.of(A, B, C), List.of(A, B, C), before, after));
  }

  @Test
  void nobodyToOfferToMeansNothingMoves() {
    MembershipView alone = view(Map.of(A, 1L));
    assertNull(HandoffPlanner.plan(A, List.of(A, B, C), List.of(A), before, alone));
    assertNull(HandoffPlanner.plan(A, List.of(A), List.of(), before, alone));
  }
}
