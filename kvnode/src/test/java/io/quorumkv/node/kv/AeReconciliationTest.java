package io.quorumkv.node.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorumkv.common.time.HybridClock;
import io.quorumkv.common.time.Version;
import io.quorumkv.common.wire.Codec;
import io.quorumkv.common.wire.KeyRecord;
import io.quorumkv.node.KvConfig;
import io.quorumkv.node.net.Outbox;
import org.junit.jupiter.api.Test;

/**
 * A tombstone past its grace is purged only once anti-entropy proved it held by the other
 * replica: not before any session, not after the session that pushed it (a push is never
 * acknowledged), and only after a later session found the replicas agree. A session that left
 * entries out ({@code aeMaxKeysPerSession}) proves nothing. Two nodes alone ({@link AePair}),
 * on simulated time.
 */
class AeReconciliationTest {

  private static final KvConfig CONFIG = KvConfig.local();
  private static final long START = 1_000_000_000_000L;
  private static final int KEYS = 2_000;
  private static final String DELETED = "k00042";

  /** Whether node {@code i} stores the delete (an absent key reads as a tombstone of version 0). */
  private static boolean holdsTombstone(AePair p, int i) {
    KeyRecord r = p.stores[i].get(DELETED);
    return r.tombstone() && r.version().timestamp() != 0;
  }

  /** Walks node 0's store to the end with {@code sweep}, a second per page. */
  private static long walkAll(AePair p, OrphanSweep sweep, long fromMillis) {
    sweep.start(fromMillis);
    long t = fromMillis;
    while (sweep.walking()) {
      t += 1000;
      sweep.walkPage(p.view, t);
    }
    return t;
  }

  @Test
  void aTombstonePastItsGraceIsKeptUntilASessionProvesTheOtherReplicaHoldsIt() {
    AePair p = AePair.inSync(CONFIG, START, KEYS);
    long deletedAt = START - CONFIG.tombstoneGraceMillis() - 5_000;
    KeyRecord live = new KeyRecord(DELETED, "v", false,
        new Version(HybridClock.pack(deletedAt - 5_000, 0), AePair.ADDRESSES[0]));
    p.stores[1].put(live); // node 1 missed the delete
    p.stores[0].put(new KeyRecord(DELETED, "", true,
        new Version(HybridClock.pack(deletedAt, 0), AePair.ADDRESSES[0])));
    SweepNeed need = new SweepNeed();
    OrphanSweep sweep = new OrphanSweep(CONFIG, AePair.ADDRESSES[0], p.stores[0],
        new Transfers(CONFIG, AePair.ADDRESSES[0], p.stores[0],
            new Outbox(new Codec(), p.counters[0], 4096), p.counters[0], m -> true),
        p.counters[0], need, p.reconciliations[0]::reconciledBeforeMillis);

    walkAll(p, sweep, START);
    assertTrue(holdsTombstone(p, 0), "no session yet: kept past its grace");
    assertEquals(1, p.counters[0].get("kv.tombstones.kept-unreconciled"));
    assertFalse(sweep.due(START + 10_000), "nothing to purge until a session proves it");

    assertTrue(p.runUntil(() -> holdsTombstone(p, 1),
        START + 2 * CONFIG.aeIntervalMillis()), "the first session pushes the tombstone");
    assertEquals(deletedAt, p.reconciliations[0].reconciledBeforeMillis(),
        "a push is not proof that it arrived");
    walkAll(p, sweep, p.now);
    assertTrue(holdsTombstone(p, 0), "kept: the push was not acknowledged");
    assertEquals(2, p.counters[0].get("kv.tombstones.kept-unreconciled"));

    assertTrue(p.runUntil(() -> p.reconciliations[0].reconciledBeforeMillis() > deletedAt,
        p.now + 4 * CONFIG.aeIntervalMillis()), "a later session finds the replicas agree");
    assertTrue(sweep.due(p.now), "the kept tombstone makes a walk due once proved");
    walkAll(p, sweep, p.now);
    assertEquals(KeyRecord.absent(DELETED), p.stores[0].get(DELETED));
    assertEquals(1, p.counters[0].get("kv.tombstones.purged"));
    assertTrue(holdsTombstone(p, 1), "the other replica still holds it");
  }

  /**
   * Three keys missing at node 1 make three buckets differ, of about 24 entries on each side;
   * with at most 4 collected per session, the session ends, pushes, and proves nothing, on
   * either side. The same session with the usual limit proves as much as it pushed.
   */
  @Test
  void aSessionThatLeftEntriesOutProvesNothing() {
    KvConfig c = CONFIG;
    KvConfig tight = new KvConfig(c.replicas(), c.readQuorum(), c.writeQuorum(),
        c.vnodesPerMember(), c.requestTimeoutMillis(), c.retransmitIntervalMillis(),
        c.readSpeculateMillis(), c.maxPendingRequests(), c.dedupeCapacity(),
        c.maxClockDriftMillis(), c.tombstoneGraceMillis(), c.handoffBatchesInFlight(),
        c.handoffRetryMillis(), c.handoffAttempts(), c.orphanSweepMillis(), c.aeIntervalMillis(),
        c.aeSessionTimeoutMillis(), 4, c.hintRetentionMillis());
    for (KvConfig config : new KvConfig[] {tight, CONFIG}) {
      AePair p = AePair.inSync(config, START, KEYS);
      for (String k : new String[] {"k00100", "k00900", "k01700"}) {
        p.stores[1].remove(k);
      }
      assertTrue(p.runUntil(() -> p.counters[0].get("kv.ae.pushed") > 0
          && p.counters[1].get("kv.ae.pushed") + p.counters[1].get("kv.ae.in-sync") > 0
          || p.reconciliations[1].reconciledBeforeMillis() > Long.MIN_VALUE,
          START + CONFIG.aeIntervalMillis()), "the first session ends");
      assertEquals(1, p.counters[0].get("kv.ae.sessions"), "one session, node 0's");
      if (config == tight) {
        assertEquals(Long.MIN_VALUE, p.reconciliations[0].reconciledBeforeMillis());
        assertEquals(Long.MIN_VALUE, p.reconciliations[1].reconciledBeforeMillis());
      } else {
        assertEquals(START - 1000, p.reconciliations[0].reconciledBeforeMillis(),
            "as old as the records it pushed");
      }
    }
  }
}
