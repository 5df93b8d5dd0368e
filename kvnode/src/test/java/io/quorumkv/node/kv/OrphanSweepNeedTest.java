package io.quorumkv.node.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorumkv.common.time.HybridClock;
import io.quorumkv.common.time.Version;
import io.quorumkv.common.wire.Address;
import io.quorumkv.common.wire.KeyRecord;
import io.quorumkv.node.KvConfig;
import io.quorumkv.node.Node;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The orphan sweep walks only when a walk could find something ({@link SweepNeed}): a settled
 * cluster that stores nothing misplaced skips its periods, and a record stored where it is not
 * owned is still found and moved to its owners within a period or two.
 */
class OrphanSweepNeedTest {

  static java.util.stream.LongStream seeds() {
    return Seeds.upTo(3);
  }

  private static final long PERIOD = KvConfig.local().orphanSweepMillis();

  private static long sum(KvCluster c, String counter) {
    long total = 0;
    for (Address a : c.net.liveAddresses()) {
      total += c.net.node(a).orElseThrow().counters().get(counter);
    }
    return total;
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void aSettledClusterSkipsItsSweepsAndAStrayRecordIsStillFound(long seed) {
    KvCluster c = new KvCluster(seed, 5, OrphanSweepNeedTest.class);
    List<String> keys = c.load("key", 200);
    // Settled: the joins' rounds over, and each node's first sweep after them done.
    c.net.runFor(3 * PERIOD);
    assertTrue(c.net.runUntil(c::quiet, c.net.now() + 10_000, 50), c.seedSays("not quiet"));
    c.net.runFor(2 * PERIOD);
    long walks = sum(c, "kv.sweep.walks");
    long skipped = sum(c, "kv.sweep.skipped");
    c.net.runFor(4 * PERIOD);
    assertEquals(walks, sum(c, "kv.sweep.walks"), c.seedSays("a settled cluster walked"));
    assertTrue(sum(c, "kv.sweep.skipped") >= skipped + 3L * c.nodes.size(),
        c.seedSays("each node skipped its periods"));

    // A record of a key this node does not own, as a coordinator with another ring would leave it.
    String key = keys.get(0);
    Address stranger = c.nonOwners(key).get(0);
    Node node = c.net.node(stranger).orElseThrow();
    KeyRecord newer = new KeyRecord(key, "stray", false,
        new Version(HybridClock.pack(c.net.now(), 0), stranger));
    node.kv().storage().put(newer);
    assertTrue(c.net.runUntil(() -> c.strays() == null, c.net.now() + 3 * PERIOD, 50),
        c.seedSays(c.strays()));
    for (Address owner : c.agreedOwners(key)) {
      assertEquals(newer.version(),
          c.net.node(owner).orElseThrow().kv().storage().get(key).version(),
          c.seedSays("the stray's newer record reached owner " + owner));
    }
    assertNull(c.misplaced(keys), c.seedSays(c.misplaced(keys)));
  }
}
