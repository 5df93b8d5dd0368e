package io.quorumkv.node.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorumkv.common.wire.Address;
import io.quorumkv.common.wire.KvOp;
import io.quorumkv.common.wire.KvStatus;
import io.quorumkv.node.Node;
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

  /** Seeds 1..N, N from -Dqkv.seeds (default 5); -Dqkv.seed=S runs one. */
  static LongStream seeds() {
    String one = System.getProperty("qkv.seed");
    if (one != null && !one.isBlank()) {
      return LongStream.of(Long.parseLong(one.trim()));
    }
    return LongStream.rangeClosed(1, Integer.getInteger("qkv.seeds", 5));
  }

  /** Key -> the live nodes that hold it, for keys that should be live. */
  private static Map<String, List<Address>> placement(KvCluster c, List<String> keys) {
    Map<String, List<Address>> out = new TreeMap<>();
    for (String k : keys) {
      out.put(k, c.holders(k));
    }
    return out;
  }

  /** Every key is held by exactly the owners the (agreed) ring names. */
  private static String misplaced(KvCluster c, List<String> keys) {
    Address any = c.net.liveAddresses().get(0);
    Node n = c.net.node(any).orElseThrow();
    List<String> bad = new ArrayList<>();
    for (String k : keys) {
      List<Address> owners = new ArrayList<>(n.replicasOf(k));
      owners.sort(null);
      List<Address> holders = c.holders(k);
      if (!owners.equals(holders)) {
        bad.add(k + " owners=" + owners + " holders=" + holders);
      }
    }
    return bad.isEmpty() ? null : bad.size() + " misplaced, e.g. " + bad.get(0);
  }

  private static List<String> load(KvCluster c, int count) {
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String k = "key" + i;
      assertEquals(KvStatus.OK,
          c.call(c.node(1 + i % c.nodes.size()), KvOp.CREATE, k, "v" + i).status());
      keys.add(k);
    }
    return keys;
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void twoDeathsThenEveryKeyIsOnExactlyItsThreeOwners(long seed) {
    KvCluster c = new KvCluster(seed, 8);
    List<String> keys = load(c, 200);
    c.net.crash(c.node(3));
    c.net.crash(c.node(6));
    List<Address> rest = new ArrayList<>(c.nodes);
    rest.remove(c.node(3));
    rest.remove(c.node(6));
    assertTrue(c.net.runUntil(() -> c.converged(rest), c.net.now() + 10_000, 50));
    assertTrue(c.net.runUntil(() -> misplaced(c, keys) == null, c.net.now() + 10_000, 50),
        "seed " + seed + ": " + misplaced(c, keys));
    for (int i = 0; i < keys.size(); i++) {
      assertEquals("v" + i, c.call(c.node(1), KvOp.READ, keys.get(i), "").value());
    }
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void aJoiningNodeReceivesItsKeysAndOthersDropThem(long seed) {
    KvCluster c = new KvCluster(seed, 5);
    List<String> keys = load(c, 200);
    Address newcomer = new Address("127.0.0.1", 7006);
    c.net.addNode(newcomer, c.nodes.subList(0, 3));
    List<Address> all = new ArrayList<>(c.nodes);
    all.add(newcomer);
    assertTrue(c.net.runUntil(() -> c.converged(all), c.net.now() + 10_000, 50));
    assertTrue(c.net.runUntil(() -> misplaced(c, keys) == null, c.net.now() + 20_000, 50),
        "seed " + seed + ": " + misplaced(c, keys));
    int owned = c.net.node(newcomer).orElseThrow().kv().storedKeys();
    assertTrue(owned > 0, "the newcomer owns some keys");
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void aRestartedNodeIsRefilled(long seed) {
    KvCluster c = new KvCluster(seed, 5);
    List<String> keys = load(c, 200);
    c.net.crash(c.node(2));
    c.net.runFor(200); // restarted before anyone noticed the crash
    c.net.restart(c.node(2));
    assertTrue(c.net.runUntil(() -> misplaced(c, keys) == null, c.net.now() + 20_000, 50),
        "seed " + seed + ": " + misplaced(c, keys) + " " + placement(c, keys.subList(0, 1)));
  }
}
