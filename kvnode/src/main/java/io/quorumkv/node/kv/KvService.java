package io.quorumkv.node.kv;

import io.quorumkv.common.ring.HashRing;
import io.quorumkv.common.time.HybridClock;
import io.quorumkv.common.wire.AeBucket;
import io.quorumkv.common.wire.AeDigest;
import io.quorumkv.common.wire.Address;
import io.quorumkv.common.wire.Envelope;
import io.quorumkv.common.wire.Handoff;
import io.quorumkv.common.wire.HandoffAck;
import io.quorumkv.common.wire.KvRequest;
import io.quorumkv.common.wire.LocateReply;
import io.quorumkv.common.wire.LocateRequest;
import io.quorumkv.common.wire.Message;
import io.quorumkv.common.wire.Offer;
import io.quorumkv.common.wire.OfferReply;
import io.quorumkv.common.wire.ReplicaCheck;
import io.quorumkv.common.wire.ReplicaCommit;
import io.quorumkv.common.wire.ReplicaRead;
import io.quorumkv.common.wire.ReplicaReadReply;
import io.quorumkv.common.wire.ReplicaWrite;
import io.quorumkv.common.wire.ReplicaWriteReply;
import io.quorumkv.node.Counters;
import io.quorumkv.node.EventSink;
import io.quorumkv.node.KvConfig;
import io.quorumkv.node.net.Outbox;
import io.quorumkv.node.storage.Storage;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;

/**
 * The key-value store of one node: its ring (rebuilt from the membership view), its storage, and
 * the three roles that use them: {@link Coordinator}, {@link Replica} and {@link Stabilizer}. The
 * ring holds every member in the cluster, suspects included (a suspect may be alive; requests to a
 * dead one simply go unanswered until it is declared dead), so it changes only on joins, deaths,
 * leaves and restarts, and each change starts a stabilization round.
 */
public final class KvService {

  private final Address self;
  private final KvConfig config;
  private final Storage storage;
  private final Outbox outbox;
  private final Counters counters;
  private final Replica replica;
  private final Coordinator coordinator;
  private final Stabilizer stabilizer;
  private final AntiEntropy antiEntropy;
  private final HintedHandoff hinted;
  /** The requests handled here, so that anti-entropy can yield to them. */
  private final RequestLoad load = new RequestLoad();
  private MembershipView view;
  private final BooleanSupplier memberListSynced;

  /**
   * @param random this store's own seeded random (anti-entropy picks its peers with it)
   * @param memberListSynced whether the member list is known whole (see
   *     {@link io.quorumkv.node.membership.Swim#synced()}): until then this node coordinates
   *     nothing
   */
  public KvService(KvConfig config, Address self, Storage engine, Outbox outbox,
      Counters counters, EventSink events, Predicate<Message> fitsInDatagram,
      RandomGenerator random, BooleanSupplier memberListSynced,
      long nowMillis) {
    this.memberListSynced = memberListSynced;
    this.self = self;
    this.config = config;
    SweepNeed sweepNeed = new SweepNeed();
    this.view = new MembershipView(HashRing.of(List.of(self), config.vnodesPerMember()),
        new TreeMap<>(Map.of(self, 0L)));
    Reconciliation reconciliation = new Reconciliation(self, view);
    this.storage = new WatchedStorage(engine, sweepNeed, key -> replicasOf(key).contains(self),
        reconciliation::tombstoneStored);
    this.outbox = outbox;
    this.counters = counters;
    // Never issue a version at or below one already stored (a restarted durable node).
    HybridClock clock = new HybridClock(config.maxClockDriftMillis(), storage.highestTimestamp());
    this.replica = new Replica(self, storage, clock, outbox, counters, events,
        config.dedupeCapacity());
    this.hinted = new HintedHandoff(config, self, outbox, counters, fitsInDatagram);
    this.coordinator = new Coordinator(self, config, this::replicasOf, clock, replica, outbox,
        counters, events, fitsInDatagram, hinted);
    // Until the member list is known whole, the ring may lack the very replicas that missed a
    // delete: no tombstone is proved held anywhere, even by a node that seems alone.
    LongSupplier reconciledBefore = () -> memberListSynced.getAsBoolean()
        ? reconciliation.reconciledBeforeMillis() : Long.MIN_VALUE;
    this.stabilizer = new Stabilizer(config, self, storage, clock, outbox, counters,
        fitsInDatagram, view, sweepNeed, reconciledBefore, nowMillis);
    this.antiEntropy = new AntiEntropy(config, self, storage, outbox, counters, fitsInDatagram,
        random, load, view, reconciliation, nowMillis);
  }

  /** The key's replicas, primary first, by this node's current ring. */
  public List<Address> replicasOf(String key) {
    return view.ring().preferenceList(key, config.replicas());
  }

  /**
   * The cluster changed: {@code members} maps each member in the cluster (self included) to its
   * generation. Rebuilds the ring and starts stabilization if anything changed.
   */
  public void onMembership(SortedMap<Address, Long> members, long nowMillis) {
    if (members.equals(view.generations())) {
      return;
    }
    MembershipView next = new MembershipView(
        HashRing.of(members.keySet(), config.vnodesPerMember()), new TreeMap<>(members));
    MembershipView previous = view;
    view = next;
    stabilizer.onViewChange(previous, next, nowMillis);
    coordinator.onViewChange(nowMillis);
    antiEntropy.onViewChange(next);
  }

  /** Handles a key-value message; returns false if {@code envelope} holds none. */
  public boolean onMessage(Address from, Envelope envelope, long nowMillis) {
    Message m = envelope.message();
    long id = envelope.requestId();
    if (m instanceof KvRequest request) {
      if (memberListSynced.getAsBoolean()) {
        load.record(nowMillis);
        coordinator.onRequest(from, id, request, nowMillis);
      } else {
        coordinator.refuseWhileJoining(from, id);
      }
    } else if (m instanceof ReplicaWrite write) {
      load.record(nowMillis);
      replica.onWrite(from, id, write, nowMillis);
    } else if (m instanceof ReplicaRead read) {
      load.record(nowMillis);
      replica.onRead(from, id, read);
    } else if (m instanceof ReplicaCheck check) {
      load.record(nowMillis);
      replica.onCheck(from, id, check, nowMillis);
    } else if (m instanceof ReplicaCommit commit) {
      load.record(nowMillis);
      replica.onCommit(from, id, commit, nowMillis);
    } else if (m instanceof ReplicaWriteReply || m instanceof ReplicaReadReply) {
      coordinator.onReply(envelope.sender(), id, m, nowMillis);
    } else if (m instanceof Handoff handoff) {
      if (handoff.wantsAck()) {
        stabilizer.onHandoff(from, id, handoff, nowMillis);
      } else {
        replica.onRepair(handoff, nowMillis);
      }
    } else if (m instanceof HandoffAck && HintedHandoff.isHintBatch(id)) {
      hinted.onAck(envelope.sender(), id);
    } else if (m instanceof HandoffAck) {
      stabilizer.onAck(envelope.sender(), id);
    } else if (m instanceof Offer offer) {
      stabilizer.onOffer(from, id, offer, nowMillis);
    } else if (m instanceof OfferReply reply) {
      stabilizer.onOfferReply(envelope.sender(), id, reply);
    } else if (m instanceof AeDigest digest) {
      antiEntropy.onDigest(envelope.sender(), digest, stabilizer.busy(), nowMillis);
    } else if (m instanceof AeBucket bucket) {
      antiEntropy.onBucket(envelope.sender(), bucket);
    } else if (m instanceof LocateRequest locate) {
      outbox.send(from, Envelope.of(self, id, new LocateReply(locate.key(),
          replicasOf(locate.key()))));
    } else {
      return false;
    }
    return true;
  }

  public void onTick(long nowMillis) {
    coordinator.onTick(nowMillis);
    stabilizer.onTick(view, nowMillis);
    antiEntropy.onTick(stabilizer.busy(), nowMillis);
    hinted.onTick(nowMillis);
  }

  public long nextWakeup() {
    return Math.min(Math.min(coordinator.nextWakeup(), stabilizer.nextWakeup()),
        Math.min(antiEntropy.nextWakeup(), hinted.nextWakeup()));
  }

  /**
   * Gauges for the stats reply: the hints' backlog, and the key-value requests handled in the
   * last full second (the load anti-entropy yields to, see {@link RequestLoad}).
   */
  public Map<String, Long> figures(long nowMillis) {
    Map<String, Long> figures = new HashMap<>(hinted.figures());
    figures.put("kv.requests.last-second", load.lastWindow(nowMillis));
    return figures;
  }

  /** Records stored here, tombstones included. */
  public int storedKeys() {
    return storage.size();
  }

  /** The storage, for read-only inspection by tests and invariants. */
  public Storage storage() {
    return storage;
  }

  /** True while stabilization has transfers in flight. */
  public boolean stabilizing() {
    return stabilizer.busy();
  }
}
