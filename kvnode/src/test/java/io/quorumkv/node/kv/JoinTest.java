package io.quorumkv.node.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorumkv.common.time.Version;
import io.quorumkv.common.wire.Address;
import io.quorumkv.common.wire.KeyRecord;
import io.quorumkv.common.wire.KvOp;
import io.quorumkv.common.wire.KvReply;
import io.quorumkv.node.Node;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.LongStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Goal: a node joining a 9-node emulated cluster (making it 10) receives exactly the keys it now
 * owns, each once and in its current version; the one former owner each of those keys displaced
 * drops its copy entirely; every other key stays where it was; and stabilization logs no outcome.
 */
class JoinTest {

  static LongStream seeds() {
    return Seeds.upTo(5);
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void aJoinMovesExactlyTheNewcomersKeysAndTheDisplacedOwnersDropThem(long seed) {
    KvCluster c = new KvCluster(seed, 9, JoinTest.class);
    List<String> keys = c.load("join" + seed + "-", 400);
    Map<String, List<Address>> before = new TreeMap<>();
    for (String k : keys) {
      before.put(k, c.holders(k));
    }
    int from = c.net.events().size();

    Address newcomer = c.join();
    assertTrue(c.awaitConverged(), c.seedSays("the newcomer did not join"));
    assertTrue(c.net.runUntil(() -> c.quiet() && c.misplaced(keys) == null, c.net.now() + 20_000,
        10), c.seedSays("after the join: " + c.misplaced(keys)));

    List<String> owned = c.ownedBy(newcomer, keys);
    assertFalse(owned.isEmpty(), c.seedSays("the newcomer owns some of " + keys.size() + " keys"));
    assertEquals(owned, c.storedAt(newcomer),
        c.seedSays("the newcomer stores exactly the keys it owns"));
    assertNull(c.strays(), c.seedSays("a record off its owners"));
    Node fresh = c.net.node(newcomer).orElseThrow();
    assertEquals(owned.size(), fresh.counters().get("kv.handoff.stored"),
        c.seedSays("each owned key stored once"));
    assertEquals(0, fresh.counters().get("kv.handoff.redundant"),
        c.seedSays("no key sent to the newcomer twice"));

    for (String k : keys) {
      List<Address> after = c.holders(k);
      if (!owned.contains(k)) {
        assertEquals(before.get(k), after, c.seedSays(k + " moved though the newcomer does not own it"));
        continue;
      }
      List<Address> displaced = new ArrayList<>(before.get(k));
      displaced.removeAll(after);
      assertEquals(1, displaced.size(), c.seedSays(k + " displaced " + displaced));
      KeyRecord left = c.net.node(displaced.get(0)).orElseThrow().kv().storage().get(k);
      assertEquals(Version.ZERO, left.version(), c.seedSays(k + " still stored at " + displaced));
      KeyRecord moved = fresh.kv().storage().get(k);
      Address other = after.stream().filter(a -> !a.equals(newcomer)).findFirst().orElseThrow();
      KeyRecord kept = c.net.node(other).orElseThrow().kv().storage().get(k);
      assertEquals(kept, moved, c.seedSays(k + " arrived in its current version"));
    }
    assertEquals(List.of(), c.outcomesSince(from), c.seedSays("stabilization logs no outcome"));
    for (String k : owned.subList(0, Math.min(20, owned.size()))) {
      KvReply r = c.call(newcomer, KvOp.READ, k, "");
      assertEquals("v" + k.substring(k.lastIndexOf('-') + 1), r.value(), c.seedSays("read " + k));
    }
  }
}
