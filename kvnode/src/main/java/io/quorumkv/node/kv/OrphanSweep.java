package io.quorumkv.node.kv;

import io.quorumkv.common.time.HybridClock;
import io.quorumkv.common.wire.Address;
import io.quorumkv.common.wire.KeyRecord;
import io.quorumkv.node.Counters;
import io.quorumkv.node.KvConfig;
import io.quorumkv.node.storage.Storage;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The orphan sweep's walk over the store, at a {@link WalkPace} (a page at most per tick):
 * keys this node holds but does not own are queued to {@link Transfers} for their owners, and
 * tombstones older than the grace period are purged. It once walked the whole store in one tick,
 * which at 100,000 keys held the loop for tens of milliseconds; datagrams that arrived meanwhile
 * overflowed the socket's buffer, and requests waited for their retransmission.
 *
 * <p>A tombstone goes only when both its grace has passed and anti-entropy has proved it held by
 * every other member ({@link Reconciliation#reconciledBeforeMillis()}, asked at each page, as a
 * late tombstone can lower it). The grace alone assumed that every pair of replicas compares
 * within it, which anti-entropy slowed by load may not do; a replica that missed the delete
 * would then bring the value back. A tombstone kept for want of that proof is counted
 * ({@code kv.tombstones.kept-unreconciled}, each walk) and remembered by {@link SweepNeed}, so a
 * walk is due again once the proof catches up.
 */
final class OrphanSweep {

  private final KvConfig config;
  private final Address self;
  private final Storage storage;
  private final Transfers transfers;
  private final Counters counters;
  private final SweepNeed need;
  /** Before when every other member is proved to hold our tombstones (see the class comment). */
  private final LongSupplier reconciledBefore;
  private boolean walking;
  /** The last key walked, or null before the first page. */
  private String cursor;
  private long purgeBefore;
  private long orphans;
  private WalkPace pace;

  OrphanSweep(KvConfig config, Address self, Storage storage, Transfers transfers,
      Counters counters, SweepNeed need, LongSupplier reconciledBefore) {
    this.config = config;
    this.self = self;
    this.storage = storage;
    this.transfers = transfers;
    this.counters = counters;
    this.need = need;
    this.reconciledBefore = reconciledBefore;
  }

  /** True when a walk begun now could find an orphan or a tombstone to purge. */
  boolean due(long nowMillis) {
    return need.due(Math.min(nowMillis - config.tombstoneGraceMillis(),
        reconciledBefore.getAsLong()));
  }

  /**
   * Begins a walk from the first key; tombstones written before now minus the grace go, if
   * reconciled with every other member.
   */
  void start(long nowMillis) {
    walking = true;
    cursor = null;
    orphans = 0;
    purgeBefore = nowMillis - config.tombstoneGraceMillis();
    pace = new WalkPace(Stabilizer.PLAN_PAGE, nowMillis);
    need.walkStarted();
    counters.increment("kv.sweep.walks");
  }

  /**
   * The view changed: the stabilization round that follows walks every key anyway, and the
   * sweep after it walks again (keys whose transfers the round gave up stay behind).
   */
  void cancel() {
    walking = false;
    need.doubt();
  }

  boolean walking() {
    return walking;
  }

  /** When the walk may go on (see {@link WalkPace#nextWakeup}). */
  long nextWakeup(long nowMillis) {
    return pace.nextWakeup(nowMillis);
  }

  /**
   * Walks the next page against {@code view}, as far as the pace allows; true when this page
   * ended a walk that found orphans (their transfers are already queued).
   */
  boolean walkPage(MembershipView view, long nowMillis) {
    int limit = pace.allowed(nowMillis);
    if (limit == 0) {
      return false;
    }
    List<KeyRecord> page = storage.scan(cursor, limit);
    pace.walked(page.size());
    List<String> purge = new ArrayList<>();
    long reconciled = reconciledBefore.getAsLong();
    for (KeyRecord r : page) {
      if (r.tombstone()) {
        long writtenAt = HybridClock.physicalMillis(r.version().timestamp());
        if (writtenAt < purgeBefore && writtenAt < reconciled) {
          purge.add(r.key());
          continue;
        }
        if (writtenAt < purgeBefore) {
          counters.increment("kv.tombstones.kept-unreconciled");
        }
        need.tombstone(writtenAt);
      }
      List<Address> owners = view.ring().preferenceList(r.key(), config.replicas());
      if (!owners.contains(self) && !owners.isEmpty()) {
        transfers.queue(r.key(), owners, true);
        orphans++;
        counters.increment("kv.handoff.orphans");
      }
    }
    // After the page, not during it: the page is a copy, and the cursor may name a purged key
    // (a scan starts after a key whether or not it is still stored).
    for (String key : purge) {
      storage.remove(key);
      counters.increment("kv.tombstones.purged");
    }
    if (page.size() == limit) {
      cursor = page.get(page.size() - 1).key();
      return false;
    }
    walking = false;
    if (orphans > 0) {
      need.doubt(); // their transfers may give up; only another walk can tell
    }
    return orphans > 0;
  }
}
