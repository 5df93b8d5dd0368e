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

/**
 * The orphan sweep walks a page at most per call, at its pace, so a large store never holds the
 * loop for long. Calls here are a second apart: each may walk a whole page.
 */
class OrphanSweepTest {

  private static final Address SELF = new Address("127.0.0.1", 7001);
  private static final long NOW = 1_000_000_000_000L;

  private final KvConfig config = KvConfig.local();
  private final Counters counters = new Counters();
  private final MemoryStorage storage = new MemoryStorage();
  private final Transfers transfers = new Transfers(config, SELF, storage,
      new Outbox(new Codec(), counters, 4096), counters, m -> true);
  private final SweepNeed need = new SweepNeed();
  /** Before when every other member is proved to hold our tombstones; alone, no bound. */
  private long reconciledBefore = Long.MAX_VALUE;
  private final OrphanSweep sweep = new OrphanSweep(config, SELF, storage, transfers, counters,
      need, () -> reconciledBefore);

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
    assertFalse(sweep.walkPage(view, NOW + 1000), "first page");
    assertEquals(Stabilizer.PLAN_PAGE, counters.get("kv.handoff.orphans"), "one page queued");
    assertTrue(sweep.walking());
    assertFalse(sweep.walkPage(view, NOW + 2000), "second page");
    assertTrue(sweep.walkPage(view, NOW + 3000), "the last page ends a walk that found orphans");
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
    assertFalse(sweep.walkPage(alone, NOW + 4000));
    // Keys sort "k..." before "t...": the first page holds the 5 live keys and 507 tombstones.
    assertEquals(Stabilizer.PLAN_PAGE - 5, counters.get("kv.tombstones.purged"));
    assertFalse(sweep.walkPage(alone, NOW + 5000), "it owns every key: no orphans");
    assertEquals(Stabilizer.PLAN_PAGE + 10, counters.get("kv.tombstones.purged"));
    assertEquals(5, storage.size());
    assertEquals(0, counters.get("kv.handoff.orphans"));
  }

  @Test
  void walksNoFasterThanItsPace() {
    store(Stabilizer.PLAN_PAGE * 2, false, NOW);
    MembershipView view = othersOnly();
    sweep.start(NOW);
    sweep.walkPage(view, NOW);
    assertEquals(Stabilizer.PLAN_PAGE, counters.get("kv.handoff.orphans"), "a first page at once");
    assertFalse(sweep.walkPage(view, NOW), "nothing more in the same millisecond");
    assertEquals(Stabilizer.PLAN_PAGE, counters.get("kv.handoff.orphans"));
    long wake = sweep.nextWakeup(NOW);
    assertEquals(NOW + (Stabilizer.PLAN_PAGE / 4 * 1000 + WalkPace.KEYS_PER_SECOND - 1)
        / WalkPace.KEYS_PER_SECOND, wake, "when a quarter page may be walked");
    sweep.walkPage(view, wake);
    long walked = counters.get("kv.handoff.orphans") - Stabilizer.PLAN_PAGE;
    // A quarter page, plus what the rounding up to a whole millisecond added.
    assertTrue(walked >= Stabilizer.PLAN_PAGE / 4
        && walked < Stabilizer.PLAN_PAGE / 4 + WalkPace.KEYS_PER_SECOND / 1000, "walked " + walked);
  }

  private static MembershipView alone() {
    TreeMap<Address, Long> generations = new TreeMap<>();
    generations.put(SELF, 1L);
    return new MembershipView(HashRing.of(List.of(SELF)), generations);
  }

  /** Walks {@code view} to the end, a second of pace per page. */
  private void walkAll(MembershipView view, long fromMillis) {
    sweep.start(fromMillis);
    for (long t = fromMillis + 1000; sweep.walking(); t += 1000) {
      sweep.walkPage(view, t);
    }
  }

  @Test
  void aWalkThatFoundNothingIsNotDueAgainUntilSomethingCouldHaveMadeAnOrphan() {
    store(Stabilizer.PLAN_PAGE + 10, false, NOW);
    assertTrue(sweep.due(NOW), "a new node knows nothing of its store");
    walkAll(alone(), NOW);
    assertFalse(sweep.due(NOW + 10_000), "every key owned, no tombstone");
    need.doubt();
    assertTrue(sweep.due(NOW + 10_000), "a ring change or a foreign write");
    walkAll(alone(), NOW + 10_000);
    assertFalse(sweep.due(NOW + 20_000));
    sweep.start(NOW + 20_000);
    sweep.cancel();
    assertTrue(sweep.due(NOW + 20_000), "a cancelled walk saw only part of the store");
    assertEquals(3, counters.get("kv.sweep.walks"));
  }

  @Test
  void aKeptTombstoneMakesAWalkDueWhenItsGracePasses() {
    store(3, true, NOW);
    walkAll(alone(), NOW);
    assertEquals(0, counters.get("kv.tombstones.purged"), "young tombstones are kept");
    long graceOver = NOW + config.tombstoneGraceMillis() + 1;
    assertFalse(sweep.due(graceOver - 2), "before their grace passes");
    assertTrue(sweep.due(graceOver), "once it has");
    walkAll(alone(), graceOver);
    assertEquals(3, counters.get("kv.tombstones.purged"));
    assertFalse(sweep.due(graceOver + 1000), "none left");
    need.tombstone(graceOver);
    assertTrue(sweep.due(graceOver + config.tombstoneGraceMillis() + 1), "a tombstone stored since");
  }

  @Test
  void aWalkThatFoundOrphansIsDueAgain() {
    store(10, false, NOW);
    walkAll(othersOnly(), NOW);
    assertEquals(10, counters.get("kv.handoff.orphans"));
    assertTrue(sweep.due(NOW + 10_000), "their transfers may give up");
  }

  @Test
  void aCancelledWalkStops() {
    store(Stabilizer.PLAN_PAGE * 2, false, NOW);
    sweep.start(NOW);
    sweep.walkPage(othersOnly(), NOW + 6000);
    sweep.cancel();
    assertFalse(sweep.walking());
  }
}
