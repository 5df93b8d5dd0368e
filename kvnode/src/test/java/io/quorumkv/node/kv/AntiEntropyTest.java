package io.quorumkv.node.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorumkv.common.time.HybridClock;
import io.quorumkv.common.time.Version;
import io.quorumkv.common.wire.Address;
import io.quorumkv.common.wire.Consistency;
import io.quorumkv.common.wire.KeyRecord;
import io.quorumkv.common.wire.KvOp;
import io.quorumkv.common.wire.KvStatus;
import io.quorumkv.node.KvConfig;
import io.quorumkv.node.storage.Storage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Anti-entropy repairs what nothing else would: replicas that missed writes, while membership
 * never changed (so no stabilization round runs). Missed writes are made by changing one
 * replica's storage behind the cluster's back, as a lost datagram or a pause would leave it;
 * then, within a few anti-entropy intervals, every owner holds the newest record of every key,
 * and a delete reaches the replica that missed it instead of the value coming back.
 */
class AntiEntropyTest {

  /** Intervals of simulated time given to converge: a node begins a session every interval on
   *  average, with a random one of 4 peers. */
  private static final long CONVERGE_MILLIS = 40 * KvConfig.local().aeIntervalMillis();

  static java.util.stream.LongStream seeds() {
    return Seeds.upTo(5);
  }

  /** Every owner of every key holds the same record; else the first key that differs. */
  private static String diverged(KvCluster c, List<String> keys) {
    for (String key : keys) {
      List<KeyRecord> held = new ArrayList<>();
      for (Address owner : c.net.node(c.node(1)).orElseThrow().replicasOf(key)) {
        held.add(c.net.node(owner).orElseThrow().kv().storage().get(key));
      }
      if (held.stream().distinct().count() != 1) {
        return key + " held as " + held;
      }
    }
    return null;
  }

  private static Storage storageOf(KvCluster c, Address node) {
    return c.net.node(node).orElseThrow().kv().storage();
  }

  private static long pushed(KvCluster c) {
    return c.nodes.stream().mapToLong(a -> c.net.node(a).orElseThrow().counters()
        .get("kv.ae.pushed")).sum();
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void divergentReplicasConverge(long seed) {
    KvCluster c = new KvCluster(seed, 5, AntiEntropyTest.class);
    List<String> keys = c.load("k", 300, KvOp.PUT);
    Address x = c.node(3);
    Storage xs = storageOf(c, x);
    List<String> mine = c.ownedBy(x, keys);
    assertTrue(mine.size() > 60, c.seedSays("node 3 owns " + mine.size()));
    List<KeyRecord> newer = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      String key = mine.get(i);
      KeyRecord r = xs.get(key);
      if (i % 3 == 0) {
        xs.remove(key); // never got the write
      } else if (i % 3 == 1) {
        xs.put(new KeyRecord(key, "stale", false, new Version(1, r.version().writer())));
      } else {
        // got a write the others missed
        KeyRecord n = new KeyRecord(key, "only-here", false,
            new Version(r.version().timestamp() + 1, r.version().writer()));
        xs.put(n);
        newer.add(n);
      }
    }
    assertTrue(diverged(c, keys) != null);
    assertTrue(c.net.runUntil(() -> diverged(c, keys) == null, c.net.now() + CONVERGE_MILLIS,
        100), c.seedSays("still diverged: " + diverged(c, keys)));
    for (KeyRecord n : newer) {
      assertEquals(n.value(), c.call(c.node(1), KvOp.READ, n.key(), "").value(),
          c.seedSays("the newer record of " + n.key() + " won"));
    }
    assertTrue(pushed(c) > 0, c.seedSays("anti-entropy pushed nothing"));
    assertFalse(c.nodes.stream().anyMatch(c::anyoneRemoved), c.seedSays("membership changed"));
  }

  /**
   * A record stamped after a session's cutoff (when its initiator began it) is not pushed by it
   * (its coordinator is still delivering it), though its bucket differs: here one replica holds
   * an overwrite, which the others missed, from a writer whose clock runs ahead. It is hashed by
   * no one, yet the others hash the older version; the holder lists its key in the bucket's
   * entries, so the others see it newer and push nothing over it. The first session that begins
   * after its stamp repairs it.
   */
  @ParameterizedTest
  @MethodSource("seeds")
  void aRecordStampedAfterASessionBeganWaitsForALaterOne(long seed) {
    KvCluster c = new KvCluster(seed, 5, AntiEntropyTest.class);
    List<String> keys = c.load("f", 100, KvOp.PUT);
    Address x = c.node(2);
    String key = c.ownedBy(x, keys).get(0);
    long stampedAt = c.net.now() + 4 * KvConfig.local().aeIntervalMillis();
    KeyRecord ahead = new KeyRecord(key, "ahead", false,
        new Version(HybridClock.pack(stampedAt, 0), new Address("127.0.0.1", 9999)));
    storageOf(c, x).put(ahead);
    long pushedBefore = pushed(c);
    long sessionsBefore = sessions(c, x);
    c.net.runUntil(() -> c.net.now() >= stampedAt, stampedAt, 100);
    assertTrue(sessions(c, x) > sessionsBefore, c.seedSays("x took part in no session"));
    assertEquals(pushedBefore, pushed(c), c.seedSays("a session pushed the record early"));
    assertTrue(c.net.runUntil(() -> diverged(c, keys) == null, c.net.now() + CONVERGE_MILLIS,
        100), c.seedSays("still diverged: " + diverged(c, keys)));
    assertEquals("ahead", c.call(c.node(1), KvOp.READ, key, "").value(), c.seedSays("repaired"));
  }

  /** Sessions {@code node} began or answered, by its digests sent and received. */
  private static long sessions(KvCluster c, Address node) {
    var counters = c.net.node(node).orElseThrow().counters();
    return counters.get("kv.ae.sessions") + counters.get("kv.ae.answered");
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void aDeleteReachesAReplicaThatMissedItAndTheValueNeverComesBack(long seed) {
    KvCluster c = new KvCluster(seed, 5, AntiEntropyTest.class);
    List<String> keys = c.load("d", 40, KvOp.PUT);
    String key = keys.get(0);
    List<Address> owners = c.net.node(c.node(1)).orElseThrow().replicasOf(key);
    Address x = owners.get(2);
    KeyRecord before = storageOf(c, x).get(key);
    assertEquals(KvStatus.OK, c.call(owners.get(0), KvOp.DELETE, key, "").status());
    storageOf(c, x).put(before); // x missed the delete
    assertEquals(KvStatus.OK, c.call(x, KvOp.READ, key, "", Consistency.ONE).status(),
        c.seedSays("x still serves the deleted value"));
    assertTrue(c.net.runUntil(() -> storageOf(c, x).get(key).tombstone(),
        c.net.now() + CONVERGE_MILLIS, 100), c.seedSays("the tombstone never reached " + x));
    assertEquals(KvStatus.NOT_FOUND, c.call(x, KvOp.READ, key, "", Consistency.ONE).status());
    c.net.runFor(CONVERGE_MILLIS);
    for (Address o : owners) {
      assertTrue(storageOf(c, o).get(key).tombstone(), c.seedSays(o + " lost the tombstone"));
    }
    assertTrue(diverged(c, keys) == null, c.seedSays(diverged(c, keys)));
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void aReplicaBackFromItsDiskCatchesUpOnWhatItMissed(long seed) {
    KvCluster c = new KvCluster(seed, 5, AntiEntropyTest.class);
    List<String> keys = new ArrayList<>(c.load("a", 100, KvOp.PUT));
    Address x = c.node(2);
    c.net.crash(x);
    // Written while x is down, before anyone declares it dead: x misses its share.
    List<Address> up = new ArrayList<>(c.nodes);
    up.remove(x);
    List<String> later = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      String k = "b" + i;
      later.add(k);
      assertEquals(KvStatus.OK, c.call(up.get(i % up.size()), KvOp.PUT, k, "w" + i).status(),
          c.seedSays("write " + k));
    }
    c.net.restartDurable(x);
    keys.addAll(later);
    assertTrue(c.awaitConverged(), c.seedSays("did not converge"));
    assertTrue(c.net.runUntil(() -> diverged(c, keys) == null && c.quiet(),
        c.net.now() + CONVERGE_MILLIS, 100), c.seedSays("still diverged: " + diverged(c, keys)));
    for (String k : later) {
      assertTrue(c.net.node(c.node(1)).orElseThrow().replicasOf(k).stream()
          .allMatch(o -> storageOf(c, o).get(k).isLive()), c.seedSays(k + " on every owner"));
    }
  }
}
