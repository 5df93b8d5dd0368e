package io.quorumkv.node.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorumkv.common.time.Version;
import io.quorumkv.common.wire.Address;
import io.quorumkv.common.wire.Consistency;
import io.quorumkv.common.wire.KvOp;
import io.quorumkv.common.wire.KvReply;
import io.quorumkv.common.wire.KvStatus;
import io.quorumkv.node.NodeEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Goal: read, update and delete of a key that does not exist, on a 10-node emulated cluster, fail
 * with "not found" at every live replica the coordinator asked (one fail outcome each: 3 with all
 * up, 2 with one replica down) and exactly once at the coordinator, at once rather than at the
 * deadline, and store nothing anywhere.
 */
class MissingKeyTest {

  private static final KvOp[] OPS = {KvOp.READ, KvOp.UPDATE, KvOp.DELETE};

  static LongStream seeds() {
    return Seeds.upTo(5);
  }

  /** Checks one request on a missing key: its answer, its outcomes, and that nothing was stored. */
  private static void assertNotFoundEverywhere(KvCluster c, long id, KvOp op, String key,
      Address coordinator, List<Address> liveOwners, long sentAt) {
    String what = op + " of missing " + key + " via " + coordinator;
    KvReply r = c.answer(id);
    assertEquals(KvStatus.NOT_FOUND, r.status(), c.seedSays(what + ": " + r));
    assertTrue(r.reason().contains("not found"), c.seedSays(what + ": " + r.reason()));
    assertTrue(c.net.now() < sentAt + 200, c.seedSays(what + " waited for the deadline"));
    c.net.runFor(30); // the last replica's refusal, after the coordinator has answered
    List<NodeEvent.KvOutcome> coord = c.outcomesOf(id, NodeEvent.Role.COORDINATOR);
    assertEquals(1, coord.size(), c.seedSays(what + ": one coordinator outcome, got " + coord));
    assertEquals(coordinator, coord.get(0).observer(), c.seedSays(what));
    assertFalse(coord.get(0).success(), c.seedSays(what + ": " + coord));
    List<NodeEvent.KvOutcome> replicas = c.outcomesOf(id, NodeEvent.Role.REPLICA);
    List<Address> answering =
        replicas.stream().map(NodeEvent.KvOutcome::observer).sorted().toList();
    if (op == KvOp.READ) {
      // A quorum read asks two owners, and the others only when those are late.
      assertEquals(Math.min(2, liveOwners.size()), answering.stream().distinct().count(),
          c.seedSays(what + ": one replica outcome per owner asked, got " + replicas));
      assertEquals(answering.size(), answering.stream().distinct().count(), c.seedSays(what));
      assertTrue(liveOwners.containsAll(answering), c.seedSays(what + ": " + replicas));
    } else {
      assertEquals(liveOwners, answering,
          c.seedSays(what + ": one replica outcome per live owner, got " + replicas));
    }
    for (NodeEvent.KvOutcome o : replicas) {
      assertFalse(o.success(), c.seedSays(what + ": replica outcome " + o));
      assertEquals(op, o.op(), c.seedSays(what + ": replica outcome " + o));
    }
    for (Address a : c.net.liveAddresses()) {
      assertEquals(Version.ZERO, c.net.node(a).orElseThrow().kv().storage().get(key).version(),
          c.seedSays(what + " stored something at " + a));
    }
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void allUpEveryReplicaRefusesOnce(long seed) {
    KvCluster c = new KvCluster(seed, 10, MissingKeyTest.class);
    RandomGenerator rnd = c.net.newRandom();
    for (KvOp op : OPS) {
      for (boolean viaOwner : new boolean[] {false, true}) {
        String key = "missing:" + rnd.nextInt(1_000_000);
        List<Address> owners = c.agreedOwners(key);
        List<Address> candidates = viaOwner ? owners : c.nonOwners(key);
        Address coordinator = candidates.get(rnd.nextInt(candidates.size()));
        long sentAt = c.net.now();
        long id = c.issue(coordinator, op, key, op == KvOp.UPDATE ? "v" : "", Consistency.QUORUM);
        assertNotFoundEverywhere(c, id, op, key, coordinator, owners, sentAt);
      }
    }
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void oneReplicaDownEveryLiveReplicaRefusesOnce(long seed) {
    KvCluster c = new KvCluster(seed, 10, MissingKeyTest.class);
    RandomGenerator rnd = c.net.newRandom();
    String key = "missing:" + rnd.nextInt(1_000_000);
    List<Address> owners = new ArrayList<>(c.agreedOwners(key));
    List<Address> others = c.nonOwners(key);
    Address victim = owners.remove(rnd.nextInt(3));
    c.net.crash(victim);
    long sentAt = c.net.now();
    long[] ids = new long[OPS.length];
    Address[] via = new Address[OPS.length];
    for (int i = 0; i < OPS.length; i++) {
      via[i] = i == 1 ? owners.get(rnd.nextInt(2)) : others.get(i);
      ids[i] = c.issue(via[i], OPS[i], key, OPS[i] == KvOp.UPDATE ? "v" : "", Consistency.QUORUM);
    }
    for (int i = 0; i < OPS.length; i++) {
      assertNotFoundEverywhere(c, ids[i], OPS[i], key, via[i], owners, sentAt);
    }
    assertFalse(c.anyoneRemoved(victim), c.seedSays("the crash was noticed at once"));
  }
}
