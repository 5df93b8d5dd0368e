package io.quorumkv.node.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorumkv.common.wire.Address;
import io.quorumkv.common.wire.KvOp;
import io.quorumkv.common.wire.KvStatus;
import io.quorumkv.node.Node;
import io.quorumkv.node.NodeConfig;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hinted handoff on the emulated network: writes acknowledged while one of their replicas is
 * down become hints at their coordinators, and reach the replica once it is back (restarted from
 * its disk), without waiting for anti-entropy; the backlog shows in the stats and drains. With
 * the LAN preset, whose failure detector takes several seconds, the replica is back before
 * anyone declares it dead: only the hints can tell it what it missed so soon.
 */
class HintedHandoffTest {

  static java.util.stream.LongStream seeds() {
    return Seeds.upTo(5);
  }

  private static long sum(KvCluster c, String counter) {
    return c.net.liveAddresses().stream()
        .mapToLong(a -> c.net.node(a).orElseThrow().counters().get(counter)).sum();
  }

  private static long pending(KvCluster c) {
    return c.net.liveAddresses().stream()
        .mapToLong(a -> c.net.node(a).orElseThrow().kv().figures(c.net.now())
            .get("kv.hints.pending")).sum();
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void writesAReplicaMissedReachItWhenItIsBack(long seed) {
    KvCluster c = new KvCluster(seed, 5, HintedHandoffTest.class, NodeConfig.lan());
    c.load("a", 20, KvOp.PUT);
    Address x = c.node(4);
    List<Address> up = new ArrayList<>(c.nodes);
    up.remove(x);
    c.net.crash(x);
    List<String> missed = new ArrayList<>();
    for (int i = 0; missed.size() < 10 && i < 400; i++) {
      String k = "h" + i;
      Node first = c.net.node(up.get(0)).orElseThrow();
      if (first.replicasOf(k).contains(x)) {
        assertEquals(KvStatus.OK, c.call(up.get(i % up.size()), KvOp.PUT, k, "w" + i).status(),
            c.seedSays("write " + k));
        missed.add(k);
      }
    }
    c.net.runFor(NodeConfig.lan().kv().requestTimeoutMillis() + 100); // hints now
    assertTrue(!c.anyoneRemoved(x), c.seedSays("x was declared dead too soon for this test"));
    assertTrue(pending(c) >= missed.size(), c.seedSays("hints pending " + pending(c)));
    c.net.restartDurable(x);
    assertTrue(c.net.runUntil(() -> missed.stream().allMatch(k -> c.net.node(x).orElseThrow()
        .kv().storage().get(k).isLive()), c.net.now() + 10_000, 50),
        c.seedSays("the restarted replica did not get its missed writes"));
    assertTrue(c.net.runUntil(() -> pending(c) == 0, c.net.now() + 10_000, 50),
        c.seedSays("hints still pending " + pending(c)));
    assertEquals(sum(c, "kv.hints.kept"), sum(c, "kv.hints.delivered"),
        c.seedSays("every hint kept was delivered, none expired"));
    assertTrue(sum(c, "kv.hints.kept") >= missed.size(), c.seedSays("a hint per missed write"));
  }
}
