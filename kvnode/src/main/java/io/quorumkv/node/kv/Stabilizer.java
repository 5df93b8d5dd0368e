package io.quorumkv.node.kv;

import io.quorumkv.common.time.ClockDriftException;
import io.quorumkv.common.time.HybridClock;
import io.quorumkv.common.wire.Address;
import io.quorumkv.common.wire.Envelope;
import io.quorumkv.common.wire.Handoff;
import io.quorumkv.common.wire.HandoffAck;
import io.quorumkv.common.wire.KeyRecord;
import io.quorumkv.common.wire.KeyVersion;
import io.quorumkv.common.wire.Message;
import io.quorumkv.common.wire.Offer;
import io.quorumkv.common.wire.OfferReply;
import io.quorumkv.node.Counters;
import io.quorumkv.node.KvConfig;
import io.quorumkv.node.net.Outbox;
import io.quorumkv.node.storage.LastWriterWins;
import io.quorumkv.node.storage.Storage;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * Re-replication after membership changes. Theory of operation:
 *
 * <p>A <b>round</b> starts when the view changes. It compares the last <em>settled</em> view (the
 * one in force when this node's previous round finished; a change in mid-round keeps the older
 * baseline, so keys still in transit are planned again) with the current one, and walks the
 * stored keys a page per tick, asking {@link HandoffPlanner} whom to offer each to. The
 * {@link Transfers} then offer, send what owners want, and drop what was handed off once all its
 * new owners confirmed. On the receiving side an owner answers offers, and pulls each missing key
 * from one offerer at a time ({@link #pulling}), so a key several holders offer still travels
 * once. A round ends when the walk is done and nothing moves; it logs one line at start and one
 * at the end.
 *
 * <p>Between rounds an <b>orphan sweep</b> offers keys this node holds but does not own to their
 * owners and drops them once confirmed (a round lost to a crash, views that disagreed), and purges
 * tombstones older than the grace period. So every key ends on exactly its N current owners.
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
  private final Predicate<Message> fits;
  /** Keys this node is pulling, with the offerer and when to stop waiting for it. */
  private final LinkedHashMap<String, Pull> pulling = new LinkedHashMap<>();
  private final Transfers transfers;
  private final OrphanSweep sweep;
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

  private record Pull(Address from, long untilMillis) {
  }

  Stabilizer(KvConfig config, Address self, Storage storage, HybridClock clock, Outbox outbox,
      Counters counters, Predicate<Message> fits, MembershipView initial, SweepNeed sweepNeed,
      LongSupplier reconciledBefore, long nowMillis) {
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
    this.sweep = new OrphanSweep(config, self, storage, transfers, counters, sweepNeed,
        reconciledBefore);
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
    sweep.cancel();
    transfers.clear(); // replanned against the new view
    // Rounds with nothing stored (a cluster forming) are not worth an operator's attention.
    LOG.log(storage.size() > 0 ? System.Logger.Level.INFO : System.Logger.Level.DEBUG,
        "[{0}] stabilization started: {1} -> {2} members, {3} keys held", self,
        settled.generations().size(), next.generations().size(), storage.size());
    counters.increment("kv.stabilization.rounds");
  }

  /**
   * A holder offers keys we own: want those we hold older or not at all, unless another holder
   * is already sending them (then "later"), and remember whom we pull each from.
   */
  void onOffer(Address from, long requestId, Offer offer, long nowMillis) {
    expirePulls(nowMillis);
    List<String> want = new ArrayList<>();
    List<String> later = new ArrayList<>();
    for (KeyVersion e : offer.entries()) {
      if (storage.get(e.key()).version().compareTo(e.version()) >= 0) {
        continue; // have it
      }
      Pull p = pulling.get(e.key());
      if ((p != null && !p.from().equals(from)) || (p == null && pulling.size() >= MAX_PULLS)) {
        later.add(e.key());
      } else {
        pulling.put(e.key(), new Pull(from, nowMillis + pullPatienceMillis()));
        want.add(e.key());
      }
    }
    outbox.send(from, Envelope.of(self, requestId, new OfferReply(want, later)));
  }

  /** Records we asked for (or read repair): keep what is newer, acknowledge the batch. */
  void onHandoff(Address from, long requestId, Handoff handoff, long nowMillis) {
    for (KeyRecord r : handoff.records()) {
      pulling.remove(r.key());
      try {
        clock.observe(r.version().timestamp(), nowMillis);
      } catch (ClockDriftException e) {
        counters.increment("kv.clock.drift-refused");
        continue;
      }
      if (LastWriterWins.merge(storage, r)) {
        counters.increment("kv.handoff.stored");
      } else {
        // Not newer than ours: sent twice (a lost ack, a second holder) or overtaken by a write.
        counters.increment("kv.handoff.redundant");
      }
    }
    outbox.send(from, Envelope.of(self, requestId, new HandoffAck()));
  }

  void onOfferReply(Address from, long batchId, OfferReply reply) {
    transfers.onOfferReply(from, batchId, reply, stats);
  }

  void onAck(Address from, long batchId) {
    transfers.onHandoffAck(from, batchId, stats);
  }

  void onTick(MembershipView view, long nowMillis) {
    lastNow = nowMillis;
    if (planning) {
      planPage(nowMillis);
    } else if (sweep.walking()) {
      if (sweep.walkPage(view, nowMillis)) {
        sweeping = true;
        stats.open = true;
        roundStartedAt = nowMillis;
        LOG.log(System.Logger.Level.INFO,
            "[{0}] stabilization started: sweep found orphaned keys", self);
      }
    } else if (nowMillis >= nextSweepAt) {
      // Re-armed even when busy: a round in progress postpones the sweep to the next period.
      nextSweepAt = nowMillis + config.orphanSweepMillis();
      if (!busy()) {
        if (sweep.due(nowMillis)) {
          sweep.start(nowMillis);
        } else {
          counters.increment("kv.sweep.skipped"); // nothing stored since could be an orphan
        }
      }
    }
    transfers.onTick(nowMillis, stats);
    expirePulls(nowMillis);
    if (!planning && sweeping && !transfers.busy()) {
      sweeping = false;
    }
    if (!planning && !sweeping && stats.open && !transfers.busy()) {
      finishRound(nowMillis);
    }
  }

  long nextWakeup() {
    if (planning) {
      return lastNow; // more keys to plan: as soon as possible (owners are missing copies)
    }
    if (sweep.walking()) {
      return Math.min(sweep.nextWakeup(lastNow), transfers.nextWakeup());
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
      if (plan != null) {
        transfers.queue(key, plan.targets(), plan.dropAfter());
      }
    }
    if (page.size() < PLAN_PAGE) {
      planning = false;
    } else {
      cursor = page.get(page.size() - 1).key();
    }
  }

  /** Most keys pulled at once; offers beyond it are answered "later". */
  static final int MAX_PULLS = 65_536;

  /** How long an offerer has to deliver a wanted key before another may. */
  private long pullPatienceMillis() {
    return config.handoffRetryMillis() * config.handoffAttempts();
  }

  /** Forgets pulls whose offerer never delivered; entries expire in insertion order. */
  private void expirePulls(long nowMillis) {
    Iterator<Pull> it = pulling.values().iterator();
    while (it.hasNext() && it.next().untilMillis() <= nowMillis) {
      it.remove();
    }
  }

  private void finishRound(long nowMillis) {
    stats.open = false;
    settled = target;
    LOG.log(stats.planned > 0 ? System.Logger.Level.INFO : System.Logger.Level.DEBUG,
        "[{0}] stabilization finished in {1} ms: {2} keys"
        + " planned, {3} sent, {4} batches, {5} handed off and dropped, {6} batches given up",
        self, nowMillis - roundStartedAt, stats.planned, stats.keysSent, stats.batches,
        stats.dropped, stats.gaveUp);
  }
}
