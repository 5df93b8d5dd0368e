package io.quorumkv.node.kv;

import io.quorumkv.common.time.ClockDriftException;
import io.quorumkv.common.time.HybridClock;
import io.quorumkv.common.wire.Address;
import io.quorumkv.common.wire.Envelope;
import io.quorumkv.common.wire.Handoff;
import io.quorumkv.common.wire.HandoffAck;
import io.quorumkv.common.wire.KeyRecord;
import io.quorumkv.common.wire.Release;
import io.quorumkv.node.Counters;
import io.quorumkv.node.KvConfig;
import io.quorumkv.node.net.Outbox;
import io.quorumkv.node.storage.LastWriterWins;
import io.quorumkv.node.storage.Storage;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Re-replication after membership changes. Theory of operation:
 *
 * <p>A <b>round</b> starts when the view changes. It compares the last <em>settled</em> view (the
 * one in force when the previous round finished; a change in mid-round keeps the older baseline,
 * so keys still in transit are planned again) with the current one, and walks the stored keys a
 * page per tick, asking {@link HandoffPlanner} what to do with each. Keys to send are queued per
 * target and go out in acknowledged {@link Handoff} batches that fit a datagram, at most
 * {@link KvConfig#handoffBatchesInFlight()} at a time, resent until acknowledged or given up.
 * When every target of a key acknowledged, the sender releases the key's former owners
 * ({@link Release}) or, if it was itself a former owner handing off, drops its own copy. A round
 * ends when the walk is done and nothing is queued or in flight; it logs one line at start and
 * one at the end.
 *
 * <p>Between rounds an <b>orphan sweep</b> hands off keys this node holds but does not own and
 * that nobody released (a lost release, views that disagreed), and purges tombstones older than
 * the grace period. So every key ends on exactly its N current owners even when a message or a
 * round was lost.
 */
final class Stabilizer {

  private static final System.Logger LOG = System.getLogger(Stabilizer.class.getName());

  /** Keys planned per tick, so a large store never blocks the loop (and its probes) for long. */
  static final int PLAN_PAGE = 512;

  private final KvConfig config;
  private final Address self;
  private final Storage storage;
  private final HybridClock clock;
  private final Outbox outbox;
  private final Counters counters;
  private final Predicate<Handoff> fits;
  private final Transfers transfers;
  private MembershipView settled;
  private MembershipView target;
  /** Planning cursor: the last key planned in this round, or null before the first. */
  private String cursor;
  private boolean planning;
  private boolean sweeping;
  private long roundStartedAt;
  private long nextSweepAt;
  private long lastNow;
  private final RoundStats stats = new RoundStats();

  Stabilizer(KvConfig config, Address self, Storage storage, HybridClock clock, Outbox outbox,
      Counters counters, Predicate<Handoff> fits, MembershipView initial, long nowMillis) {
    this.config = config;
    this.self = self;
    this.storage = storage;
    this.clock = clock;
    this.outbox = outbox;
    this.counters = counters;
    this.fits = fits;
    this.settled = initial;
    this.target = initial;
    this.transfers = new Transfers(config, self, storage, outbox, counters, fits);
    this.nextSweepAt = nowMillis + config.orphanSweepMillis();
    this.lastNow = nowMillis;
  }

  void onViewChange(MembershipView previous, MembershipView next, long nowMillis) {
    if (!busy()) {
      settled = previous;
      roundStartedAt = nowMillis;
      stats.reset();
    }
    target = next;
    cursor = null;
    planning = true;
    lastNow = nowMillis;
    sweeping = false;
    transfers.clearQueued(); // replanned against the new view
    LOG.log(System.Logger.Level.INFO, "[{0}] stabilization started: {1} -> {2} members,"
        + " {3} keys held", self, settled.generations().size(), next.generations().size(),
        storage.size());
    counters.increment("kv.stabilization.rounds");
  }

  /** Someone pushes records to us: keep what is newer, acknowledge the batch. */
  void onHandoff(Address from, long requestId, Handoff handoff, long nowMillis) {
    for (KeyRecord r : handoff.records()) {
      try {
        clock.observe(r.version().timestamp(), nowMillis);
      } catch (ClockDriftException e) {
        counters.increment("kv.clock.drift-refused");
        continue;
      }
      if (LastWriterWins.merge(storage, r)) {
        counters.increment("kv.handoff.stored");
      }
    }
    outbox.send(from, Envelope.of(self, requestId, new HandoffAck()));
  }

  void onAck(Address from, long batchId, long nowMillis) {
    transfers.onAck(from, batchId, stats);
  }

  /** A sender says the new owners have these keys: drop those we still do not own. */
  void onRelease(Release release, MembershipView view, long nowMillis) {
    for (String key : release.keys()) {
      if (!view.ring().preferenceList(key, config.replicas()).contains(self)
          && !transfers.isSending(key)) {
        storage.remove(key);
        counters.increment("kv.handoff.released");
      }
    }
  }

  void onTick(MembershipView view, long nowMillis) {
    lastNow = nowMillis;
    if (planning) {
      planPage(nowMillis);
    } else if (nowMillis >= nextSweepAt && !busy()) {
      nextSweepAt = nowMillis + config.orphanSweepMillis();
      sweep(view, nowMillis);
    }
    transfers.onTick(nowMillis, stats);
    if (!planning && sweeping && !transfers.busy()) {
      sweeping = false;
    }
    if (!planning && !sweeping && stats.open && !transfers.busy()) {
      finishRound(nowMillis);
    }
  }

  long nextWakeup() {
    if (planning) {
      return lastNow; // more keys to plan: as soon as possible
    }
    return Math.min(nextSweepAt, transfers.nextWakeup());
  }

  boolean busy() {
    return planning || transfers.busy();
  }

  private void planPage(long nowMillis) {
    stats.open = true;
    List<KeyRecord> page = storage.scan(cursor, PLAN_PAGE);
    for (KeyRecord r : page) {
      String key = r.key();
      List<Address> oldOwners = settled.ring().preferenceList(key, config.replicas());
      List<Address> newOwners = target.ring().preferenceList(key, config.replicas());
      HandoffPlanner.Plan plan = HandoffPlanner.plan(self, oldOwners, newOwners, settled, target);
      stats.planned++;
      switch (plan.role()) {
        case SEND:
          transfers.queue(key, plan.targets(), plan.leavers(), false);
          break;
        case HAND_OFF:
          transfers.queue(key, plan.targets(), List.of(), true);
          break;
        default:
          break;
      }
    }
    if (page.size() < PLAN_PAGE) {
      planning = false;
    } else {
      cursor = page.get(page.size() - 1).key();
    }
  }

  /** Hands off keys we hold but do not own; purges tombstones past their grace period. */
  private void sweep(MembershipView view, long nowMillis) {
    long purgeBefore = nowMillis - config.tombstoneGraceMillis();
    String after = null;
    List<String> purge = new ArrayList<>();
    while (true) {
      List<KeyRecord> page = storage.scan(after, PLAN_PAGE);
      for (KeyRecord r : page) {
        if (r.tombstone() && HybridClock.physicalMillis(r.version().timestamp()) < purgeBefore) {
          purge.add(r.key());
          continue;
        }
        List<Address> owners = view.ring().preferenceList(r.key(), config.replicas());
        if (!owners.contains(self) && !owners.isEmpty()) {
          transfers.queue(r.key(), owners, List.of(), true);
          sweeping = true;
          counters.increment("kv.handoff.orphans");
        }
      }
      if (page.size() < PLAN_PAGE) {
        break;
      }
      after = page.get(page.size() - 1).key();
    }
    for (String key : purge) {
      storage.remove(key);
      counters.increment("kv.tombstones.purged");
    }
    if (sweeping) {
      stats.open = true;
      roundStartedAt = nowMillis;
      LOG.log(System.Logger.Level.INFO, "[{0}] stabilization started: sweep found orphaned keys",
          self);
    }
  }

  private void finishRound(long nowMillis) {
    stats.open = false;
    settled = target;
    LOG.log(System.Logger.Level.INFO, "[{0}] stabilization finished in {1} ms: {2} keys"
        + " planned, {3} sent in {4} batches, {5} handed off and dropped, {6} batches given up",
        self, nowMillis - roundStartedAt, stats.planned, stats.keysSent, stats.batches,
        stats.dropped, stats.gaveUp);
  }
}
