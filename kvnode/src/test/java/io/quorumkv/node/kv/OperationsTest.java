package io.quorumkv.node.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorumkv.common.time.Version;
import io.quorumkv.common.wire.Address;
import io.quorumkv.common.wire.Consistency;
import io.quorumkv.common.wire.KeyRecord;
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
 * Goal: on a 10-node emulated cluster, every operation (create, read, update, delete, put), each
 * sent to another coordinator (owners and non-owners of the key in turn), answers with the seed's
 * semantics plus the upsert, is logged exactly once by its coordinator and once by each of the
 * key's 3 replicas, and leaves the key on exactly its owners with the version the coordinator
 * reported; and the consistency levels hold: ALL fails cleanly at its deadline with one replica
 * down, while ONE succeeds with two down.
 */
class OperationsTest {

  static LongStream seeds() {
    return Seeds.upTo(5);
  }

  /**
   * The 10 nodes in an order that alternates owners and non-owners of {@code key} (shuffled
   * within each group), so consecutive steps go through different kinds of coordinator.
   */
  private static List<Address> coordinators(KvCluster c, String key, RandomGenerator rnd) {
    List<Address> owners = new ArrayList<>(c.agreedOwners(key));
    List<Address> others = c.nonOwners(key);
    KvCluster.shuffle(owners, rnd);
    KvCluster.shuffle(others, rnd);
    List<Address> out = new ArrayList<>();
    for (int i = 0; i < others.size(); i++) {
      if (i < owners.size()) {
        out.add(owners.get(i));
      }
      out.add(others.get(i));
    }
    return out;
  }

  /** Runs the steps of one scenario through coordinators taken in turn. */
  private static final class Steps {
    final KvCluster c;
    final List<Address> coordinators;
    int next;

    Steps(KvCluster c, List<Address> coordinators) {
      this.c = c;
      this.coordinators = coordinators;
    }

    /**
     * Sends one request and checks its answer, its outcome events (one at the coordinator, one at
     * each owner, all agreeing with the answer) and where the key then lives.
     */
    KvReply expect(KvOp op, String key, String value, KvStatus status) {
      Address coordinator = coordinators.get(next++ % coordinators.size());
      List<Address> owners = c.agreedOwners(key);
      long id = c.issue(coordinator, op, key, value, Consistency.QUORUM);
      KvReply reply = c.answer(id);
      String what = op + " " + key + " via " + coordinator;
      assertEquals(status, reply.status(), c.seedSays(what + ": " + reply));
      c.net.runFor(30); // the third replica's answer, after the coordinator has replied
      boolean ok = status == KvStatus.OK;
      List<NodeEvent.KvOutcome> mine = c.outcomesOf(id, NodeEvent.Role.COORDINATOR);
      assertEquals(1, mine.size(), c.seedSays(what + ": coordinator outcomes " + mine));
      assertEquals(coordinator, mine.get(0).observer(), c.seedSays(what));
      assertEquals(ok, mine.get(0).success(), c.seedSays(what + ": " + mine));
      assertEquals(op, mine.get(0).op(), c.seedSays(what));
      List<NodeEvent.KvOutcome> replicas = c.outcomesOf(id, NodeEvent.Role.REPLICA);
      List<Address> answering =
          replicas.stream().map(NodeEvent.KvOutcome::observer).sorted().toList();
      if (op == KvOp.READ) {
        // A quorum read asks two owners (the coordinator's own copy first), the third only
        // when those are late.
        assertEquals(2, answering.stream().distinct().count(),
            c.seedSays(what + ": one replica outcome per owner asked, got " + replicas));
        assertTrue(owners.containsAll(answering), c.seedSays(what + ": " + replicas));
      } else {
        assertEquals(owners, answering,
            c.seedSays(what + ": one replica outcome per owner, got " + replicas));
      }
      for (NodeEvent.KvOutcome r : replicas) {
        assertEquals(ok, r.success(), c.seedSays(what + ": replica outcome " + r));
      }
      if (status == KvStatus.EXISTS) {
        assertTrue(reply.reason().contains("already exists"), c.seedSays(reply.reason()));
      } else if (status == KvStatus.NOT_FOUND) {
        assertTrue(reply.reason().contains("not found"), c.seedSays(reply.reason()));
      }
      return reply;
    }

    /** A write that must succeed: afterwards every owner, and no one else, holds its version. */
    void write(KvOp op, String key, String value) {
      KvReply reply = expect(op, key, value, KvStatus.OK);
      assertNotEquals(Version.ZERO, reply.version(), c.seedSays(op + " reports its version"));
      List<Address> owners = c.agreedOwners(key);
      for (Address a : c.net.liveAddresses()) {
        KeyRecord held = c.net.node(a).orElseThrow().kv().storage().get(key);
        if (owners.contains(a)) {
          assertEquals(reply.version(), held.version(), c.seedSays(op + " " + key + " at " + a));
          assertEquals(op == KvOp.DELETE, held.tombstone(), c.seedSays(op + " " + key + " at " + a));
          assertEquals(op == KvOp.DELETE ? "" : value, held.value(), c.seedSays(key + " at " + a));
        } else {
          assertEquals(Version.ZERO, held.version(), c.seedSays(key + " stored at non-owner " + a));
        }
      }
    }

    /** A read that must return {@code value} (null: not found). */
    void read(String key, String value) {
      KvReply reply = expect(KvOp.READ, key, "", value == null ? KvStatus.NOT_FOUND : KvStatus.OK);
      if (value != null) {
        assertEquals(value, reply.value(), c.seedSays("read " + key));
        KeyRecord held = c.net.node(c.agreedOwners(key).get(0)).orElseThrow().kv().storage()
            .get(key);
        assertEquals(held.version(), reply.version(), c.seedSays("read reports the version"));
      }
    }
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void everyOperationThroughDifferentCoordinators(long seed) {
    KvCluster c = new KvCluster(seed, 10, OperationsTest.class);
    RandomGenerator rnd = c.net.newRandom();
    String k = "user:" + rnd.nextInt(1_000_000);
    Steps s = new Steps(c, coordinators(c, k, rnd));

    s.write(KvOp.CREATE, k, "v1"); // create inserts
    s.read(k, "v1");
    s.expect(KvOp.CREATE, k, "other", KvStatus.EXISTS); // create of an existing key
    s.read(k, "v1"); // ...changed nothing
    s.write(KvOp.UPDATE, k, "v2");
    s.read(k, "v2");
    s.write(KvOp.PUT, k, "v3"); // put overwrites
    s.read(k, "v3");
    s.write(KvOp.DELETE, k, "");
    s.read(k, null);
    s.expect(KvOp.UPDATE, k, "v4", KvStatus.NOT_FOUND); // update of a deleted key
    s.expect(KvOp.DELETE, k, "", KvStatus.NOT_FOUND); // delete of a deleted key
    s.read(k, null);
    s.write(KvOp.PUT, k, "v5"); // put inserts over a tombstone
    s.read(k, "v5");
    s.write(KvOp.DELETE, k, "");
    s.write(KvOp.CREATE, k, "v6"); // create over a tombstone
    s.read(k, "v6");

    String fresh = "fresh:" + rnd.nextInt(1_000_000);
    s = new Steps(c, coordinators(c, fresh, rnd));
    s.expect(KvOp.UPDATE, fresh, "x", KvStatus.NOT_FOUND); // update of a key never written
    s.expect(KvOp.DELETE, fresh, "", KvStatus.NOT_FOUND);
    s.write(KvOp.PUT, fresh, "p1"); // put inserts
    s.read(fresh, "p1");
    s.expect(KvOp.CREATE, fresh, "p2", KvStatus.EXISTS);
    s.write(KvOp.PUT, fresh, "p3");
    s.read(fresh, "p3");
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void allFailsCleanlyWithOneReplicaDown(long seed) {
    KvCluster c = new KvCluster(seed, 10, OperationsTest.class);
    RandomGenerator rnd = c.net.newRandom();
    List<String> keys = c.createSharingOwners(rnd, 3, "v0");
    List<Address> owners = c.agreedOwners(keys.get(0));
    Address other = c.nonOwners(keys.get(0)).get(0);
    Address victim = owners.get(rnd.nextInt(3));
    Address survivor = owners.stream().filter(a -> !a.equals(victim)).findFirst().orElseThrow();
    c.net.crash(victim);
    long crashedAt = c.net.now();
    // Sent at once, before anyone can have noticed the crash; each key gets one request.
    long put = c.issue(other, KvOp.PUT, keys.get(0), "all", Consistency.ALL);
    long read = c.issue(survivor, KvOp.READ, keys.get(1), "", Consistency.ALL);
    long quorum = c.issue(other, KvOp.UPDATE, keys.get(2), "q", Consistency.QUORUM);
    assertFalse(c.anyoneRemoved(victim), c.seedSays("the crash was noticed at once"));

    KvReply q = c.answer(quorum);
    assertEquals(KvStatus.OK, q.status(), c.seedSays("QUORUM with one replica down: " + q));
    for (long id : new long[] {put, read}) {
      KvReply r = c.answer(id);
      String what = (id == put ? "ALL put" : "ALL read") + " with " + victim + " down";
      assertEquals(KvStatus.UNAVAILABLE, r.status(), c.seedSays(what + ": " + r));
      assertEquals("quorum not reached: 2 of 3 replicas answered within 1000 ms", r.reason(),
          c.seedSays(what));
      assertTrue(c.net.now() >= crashedAt + 1000, c.seedSays(what + " answered before its deadline"));
    }
    c.net.runFor(300); // anything a second answer or a late outcome would need
    for (long id : new long[] {put, read}) {
      assertEquals(1, c.repliesTo(id).size(), c.seedSays("one answer to request " + id));
      List<NodeEvent.KvOutcome> coord = c.outcomesOf(id, NodeEvent.Role.COORDINATOR);
      assertEquals(1, coord.size(), c.seedSays("one coordinator outcome: " + coord));
      assertFalse(coord.get(0).success(), c.seedSays("a failed outcome: " + coord));
      List<NodeEvent.KvOutcome> replicas = c.outcomesOf(id, NodeEvent.Role.REPLICA);
      assertEquals(2, replicas.size(), c.seedSays("one outcome per live owner: " + replicas));
    }
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void oneSucceedsWithTwoReplicasDown(long seed) {
    KvCluster c = new KvCluster(seed, 10, OperationsTest.class);
    RandomGenerator rnd = c.net.newRandom();
    List<String> keys = c.createSharingOwners(rnd, 4, "v0");
    List<Address> owners = new ArrayList<>(c.agreedOwners(keys.get(0)));
    Address other = c.nonOwners(keys.get(0)).get(rnd.nextInt(7));
    KvCluster.shuffle(owners, rnd);
    Address survivor = owners.get(0);
    c.net.crash(owners.get(1));
    c.net.crash(owners.get(2));
    long crashedAt = c.net.now();
    long[] ids = {
        c.issue(other, KvOp.READ, keys.get(0), "", Consistency.ONE),
        c.issue(survivor, KvOp.READ, keys.get(1), "", Consistency.ONE),
        c.issue(other, KvOp.UPDATE, keys.get(2), "one", Consistency.ONE),
        c.issue(survivor, KvOp.PUT, keys.get(3), "one", Consistency.ONE)};
    for (long id : ids) {
      KvReply r = c.answer(id);
      assertEquals(KvStatus.OK, r.status(), c.seedSays("ONE with two replicas down: " + r));
      assertTrue(c.net.now() < crashedAt + 200, c.seedSays("ONE waits for no retransmit"));
      List<NodeEvent.KvOutcome> coord = c.outcomesOf(id, NodeEvent.Role.COORDINATOR);
      assertEquals(1, coord.size(), c.seedSays("one coordinator outcome: " + coord));
      assertTrue(coord.get(0).success(), c.seedSays("a successful outcome: " + coord));
    }
    assertEquals("v0", c.repliesTo(ids[0]).get(0).value(), c.seedSays("ONE read"));
    assertEquals("v0", c.repliesTo(ids[1]).get(0).value(), c.seedSays("ONE read, local"));
    for (String k : keys.subList(2, 4)) {
      KvReply r = c.call(survivor, KvOp.READ, k, "", Consistency.ONE);
      assertEquals("one", r.value(), c.seedSays("ONE read after ONE write of " + k));
    }
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void aWriteWithConsistencyOneStillReachesEveryReplica(long seed) {
    KvCluster c = new KvCluster(seed, 10, OperationsTest.class);
    RandomGenerator rnd = c.net.newRandom();
    List<Address> owners = c.agreedOwners("one:" + rnd.nextInt(1_000_000));
    List<String> keys = c.keysOwnedBy(owners, "w" + rnd.nextInt(1000) + "-", 8);
    List<Address> via = new ArrayList<>(owners); // each owner, primary first, and a non-owner
    via.add(c.nonOwners(keys.get(0)).get(rnd.nextInt(7)));
    for (int i = 0; i < via.size(); i++) {
      for (KvOp op : new KvOp[] {KvOp.PUT, KvOp.CREATE}) {
        String k = keys.get(2 * i + (op == KvOp.PUT ? 0 : 1));
        long id = c.issue(via.get(i), op, k, "one", Consistency.ONE);
        KvReply r = c.answer(id);
        assertEquals(KvStatus.OK, r.status(), c.seedSays(op + " ONE via " + via.get(i) + ": " + r));
        c.net.runFor(30);
        String what = op + " " + k + " with ONE via " + via.get(i);
        assertEquals(owners, c.holders(k), c.seedSays(what + " reached every owner"));
        assertEquals(3, c.outcomesOf(id, NodeEvent.Role.REPLICA).size(),
            c.seedSays(what + ": one outcome per replica asked"));
        for (Address a : owners) {
          assertEquals(r.version(), c.net.node(a).orElseThrow().kv().storage().get(k).version(),
              c.seedSays(what + ": version at " + a));
        }
      }
    }
  }
}
