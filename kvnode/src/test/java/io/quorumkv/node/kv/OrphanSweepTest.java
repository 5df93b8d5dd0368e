package io.quorumkv.node.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorumkv.common.ring.HashRing;
import io.quorumkv.common.time.HybridClock;
import io.quorumkv.common.time.Version;
import io.quorumkv.common.wire.Address;
import io.quorumkv.common.wire.Codec;
import io.quorumkv.common.wire.KeyRecord;
import io.quorumkv.node.Counters;
import io.quorumkv.node.KvConfig;
import io.quorumkv.node.net.Outbox;
import io.quorumkv.node.storage.MemoryStorage;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The orphan sweep walks a page per call, so a large store never holds the loop for long. */
class OrphanSweepTest {

  private static final Address SELF = new Address("127.0.0.1", 7001);
  private static final long NOW = 1_000_000_000_000L;

  private final KvConfig config = KvConfig.local();
  private final Counters counters = new Counters();
  private final MemoryStorage storage = new MemoryStorage();
  private final Transfers transfers = new Transfers(config, SELF, storage,
      new Outbox(new Codec(), counters, 4096), counters, m -> true);
  private final OrphanSweep sweep = new OrphanSweep(config, SELF, storage, transfers, counters);

  /** A view of three members that does not include {@link #SELF}: everything it holds is orphaned. */
  private static MembershipView othersOnly() {
    List<Address> others = List.of(new Address("127.0.0.1", 7002),
        new Address("127.0.0.1", 7003), new Address("127.0.0.1", 7004));
    TreeMap<Address, Long> generations = new TreeMap<>();
    others.forEach(a -> generations.put(a, 1L));
    return new MembershipView(HashRing.of(others), generations);
  }

  private void store(int keys, boolean tombstones, long writtenAt) {
    for (int i = 0; i < keys; i++) {
      storage.put(new KeyRecord((tombstones ? "t" : "k") + i, tombstones ? "" : "v", tombstones,
          new Version(HybridClock.pack(writtenAt, 0), SELF)));
    }
  }

  @Test
  void walksOnePageAtATimeAndReportsOrphansAtTheEnd() {
    int keys = 2 * Stabilizer.PLAN_PAGE + 100;
    store(keys, false, NOW);
    MembershipView view = othersOnly();
    sweep.start(NOW);
    assertFalse(sweep.walkPage(view), "first page");
    assertEquals(Stabilizer.PLAN_PAGE, counters.get("kv.handoff.orphans"), "one page queued");
    assertTrue(sweep.walking());
    assertFalse(sweep.walkPage(view), "second page");
    assertTrue(sweep.walkPage(view), "the last page ends a walk that found orphans");
    assertFalse(sweep.walking());
    assertEquals(keys, counters.get("kv.handoff.orphans"));
  }

  @Test
  void purgesOldTombstonesPageByPageAndFindsNoOrphansWhereItOwnsEverything() {
    long old = NOW - config.tombstoneGraceMillis() - 1;
    store(Stabilizer.PLAN_PAGE + 10, true, old);
    store(5, false, NOW);
    TreeMap<Address, Long> generations = new TreeMap<>();
    generations.put(SELF, 1L);
    MembershipView alone = new MembershipView(HashRing.of(List.of(SELF)), generations);
    sweep.start(NOW);
    assertFalse(sweep.walkPage(alone));
    // Keys sort "k..." before "t...": the first page holds the 5 live keys and 507 tombstones.
    assertEquals(Stabilizer.PLAN_PAGE - 5, counters.get("kv.tombstones.purged"));
    assertFalse(sweep.walkPage(alone), "it owns every key: no orphans");
    assertEquals(Stabilizer.PLAN_PAGE + 10, counters.get("kv.tombstones.purged"));
    assertEquals(5, storage.size());
    assertEquals(0, counters.get("kv.handoff.orphans"));
  }

  @Test
  void aCancelledWalkStops() {
    store(Stabilizer.PLAN_PAGE * 2, false, NOW);
    sweep.start(NOW);
    sweep.walkPage(othersOnly());
    sweep.cancel();
    assertFalse(sweep.walking());
  }
}
