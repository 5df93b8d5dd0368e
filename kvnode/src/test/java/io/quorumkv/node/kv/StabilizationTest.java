package io.quorumkv.node.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorumkv.common.wire.Address;
import io.quorumkv.common.wire.KvOp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * After deaths and joins every key ends on exactly its N current owners: no key lost, none
 * under- or over-replicated, and no transfer made twice.
 */
class StabilizationTest {

  static LongStream seeds() {
    return Seeds.upTo(5);
  }

  /** Key -> the live nodes that hold it, for keys that should be live. */
  private static Map<String, List<Address>> placement(KvCluster c, List<String> keys) {
    Map<String, List<Address>> out = new TreeMap<>();
    for (String k : keys) {
      out.put(k, c.holders(k));
    }
    return out;
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void twoDeathsThenEveryKeyIsOnExactlyItsThreeOwners(long seed) {
    KvCluster c = new KvCluster(seed, 8, StabilizationTest.class);
    List<String> keys = c.load("key", 200);
    c.net.crash(c.node(3));
    c.net.crash(c.node(6));
    List<Address> rest = new ArrayList<>(c.nodes);
    rest.remove(c.node(3));
    rest.remove(c.node(6));
    assertTrue(c.net.runUntil(() -> c.converged(rest), c.net.now() + 10_000, 50),
        c.seedSays("survivors did not converge"));
    assertTrue(c.net.runUntil(() -> c.misplaced(keys) == null, c.net.now() + 10_000, 50),
        c.seedSays(c.misplaced(keys)));
    for (int i = 0; i < keys.size(); i++) {
      assertEquals("v" + i, c.call(c.node(1), KvOp.READ, keys.get(i), "").value(),
          c.seedSays("read " + keys.get(i)));
    }
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void aJoiningNodeReceivesItsKeysAndOthersDropThem(long seed) {
    KvCluster c = new KvCluster(seed, 5, StabilizationTest.class);
    List<String> keys = c.load("key", 200);
    Address newcomer = c.join();
    assertTrue(c.net.runUntil(() -> c.converged(c.nodes), c.net.now() + 10_000, 50),
        c.seedSays("the newcomer did not join"));
    assertTrue(c.net.runUntil(() -> c.quiet() && c.misplaced(keys) == null,
        c.net.now() + 20_000, 50), c.seedSays(c.misplaced(keys)));
    List<String> owned = c.ownedBy(newcomer, keys);
    assertFalse(owned.isEmpty(), c.seedSays("the newcomer owns some keys"));
    // Exactly its keys at the newcomer; no copy (not even a tombstone) left at a former owner.
    assertEquals(owned, c.storedAt(newcomer), c.seedSays("the newcomer holds exactly its keys"));
    assertNull(c.strays(), c.seedSays("a former owner kept a copy"));
    assertEquals(0, c.net.node(newcomer).orElseThrow().counters().get("kv.handoff.redundant"),
        c.seedSays("a key was sent to the newcomer twice"));
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void aRestartedNodeIsRefilled(long seed) {
    KvCluster c = new KvCluster(seed, 5, StabilizationTest.class);
    List<String> keys = c.load("key", 200);
    c.net.crash(c.node(2));
    c.net.runFor(200); // restarted before anyone noticed the crash
    c.net.restart(c.node(2));
    assertTrue(c.net.runUntil(() -> c.misplaced(keys) == null, c.net.now() + 20_000, 50),
        c.seedSays(c.misplaced(keys) + " " + placement(c, keys.subList(0, 1))));
  }
}
