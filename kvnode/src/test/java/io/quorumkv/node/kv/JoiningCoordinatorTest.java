package io.quorumkv.node.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorumkv.common.wire.Address;
import io.quorumkv.common.wire.KvOp;
import io.quorumkv.common.wire.KvReply;
import io.quorumkv.common.wire.KvStatus;
import io.quorumkv.node.Node;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A node coordinates only once another member's whole member list has reached it: a restarted
 * node that knew part of the cluster once answered a quorum read from a ring of two, with
 * nothing, for a key its true owners held (found by {@code scripts/simulate.sh}, seed 100352).
 */
class JoiningCoordinatorTest {

  static java.util.stream.LongStream seeds() {
    return Seeds.upTo(3);
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void aRestartedNodeRefusesToCoordinateUntilItHasTheMemberList(long seed) {
    KvCluster c = new KvCluster(seed, 5, JoiningCoordinatorTest.class);
    List<String> keys = c.load("j", 20, KvOp.PUT);
    Address victim = c.node(4);
    List<Address> others = new ArrayList<>(c.nodes);
    others.remove(victim);
    c.net.crash(victim);
    // Nothing from the other members reaches it: its syncs go out, no list comes back.
    c.net.faults().block(others, List.of(victim));
    Node back = c.net.restart(victim);
    c.net.runFor(1_000);
    assertFalse(back.memberListSynced(), c.seedSays("synced through a block"));
    KvReply refused = c.call(victim, KvOp.READ, keys.get(0), "");
    assertEquals(KvStatus.UNAVAILABLE, refused.status(), c.seedSays("coordinated: " + refused));
    assertTrue(refused.reason().contains("joining"), c.seedSays(refused.reason()));
    assertTrue(back.counters().get("kv.coordinator.joining") > 0, c.seedSays("not counted"));

    c.net.faults().heal();
    assertTrue(c.net.runUntil(back::memberListSynced, c.net.now() + 5_000, 10),
        c.seedSays("the member list never arrived"));
    KvReply read = c.call(victim, KvOp.READ, keys.get(0), "");
    assertEquals("v0", read.value(), c.seedSays("read once synced: " + read));
  }
}
