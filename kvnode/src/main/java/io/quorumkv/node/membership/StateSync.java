package io.quorumkv.node.membership;

import io.quorumkv.common.wire.Address;
import io.quorumkv.common.wire.Envelope;
import io.quorumkv.common.wire.MemberUpdate;
import io.quorumkv.common.wire.Message;
import io.quorumkv.common.wire.SyncReply;
import io.quorumkv.common.wire.SyncRequest;
import io.quorumkv.node.Counters;
import io.quorumkv.node.NodeConfig;
import io.quorumkv.node.net.Outbox;
import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Full-state sync (push-pull): this node sends its whole member list, and a peer that receives
 * such a request answers once with its own. Three timers decide with whom: a periodic sync with a
 * random member, which repairs lost gossip; a join sync to the seeds in turn while no other member
 * is live; and a reconnect sync with one member believed dead (so that the two sides of a healed
 * partition find each other again) and with one seed not heard of (so that two islands that
 * formed apart merge). What arrives is merged by {@link FactMerge}, like any other gossip.
 */
final class StateSync {

  /** Member entries per sync datagram: 20 entries fit in a datagram even with 253-byte hosts. */
  static final int SYNC_PAGE = 20;

  private final NodeConfig config;
  private final Address self;
  private final List<Address> seeds;
  private final RandomGenerator random;
  private final Outbox outbox;
  private final Counters counters;
  private final MemberList members;
  /** Round-robin cursor over {@link #seeds} for {@link #nextUnknownSeed}. */
  private int unknownSeedIndex;
  private int seedIndex;
  private long nextSyncAt;
  private long nextJoinAt;
  private long nextReconnectAt;
  /** See {@link #synced()}. */
  private boolean synced;

  StateSync(NodeConfig config, Address self, List<Address> seeds, RandomGenerator random,
      Outbox outbox, Counters counters, MemberList members, long nowMillis) {
    this.config = config;
    this.self = self;
    this.seeds = seeds.stream().filter(s -> !s.equals(self)).distinct().toList();
    this.random = random;
    this.outbox = outbox;
    this.counters = counters;
    this.members = members;
    this.nextSyncAt = nowMillis + config.syncIntervalMillis();
    this.nextJoinAt = nowMillis;
    this.nextReconnectAt = nowMillis + config.reconnectIntervalMillis();
    this.synced = this.seeds.isEmpty();
  }

  /**
   * True once another member's whole member list has reached this node since it started (a sync
   * request or reply), or from the start for a node with no seeds (the first of a cluster). Until
   * then the node may know only the members that happened to probe or gossip with it: a node
   * restarted into a lossy network was seen to know one other member of five, and to coordinate
   * a quorum read on a ring of two, which returned nothing for a key its true owners held
   * ({@code scripts/simulate.sh --seed 100352}).
   */
  boolean synced() {
    return synced;
  }

  /** A page of {@code sender}'s list arrived, in a reply to our sync or leading its request. */
  void onReply(Address sender) {
    synced |= !sender.equals(self);
  }

  /** A sync request (one page of it, already merged) arrived from {@code sender}. */
  void onRequest(Address from, Address sender, long requestId, SyncRequest sync) {
    boolean firstPage = !sync.members().isEmpty()
        && sync.members().get(0).address().equals(sender);
    if (firstPage) {
      sendState(from, requestId, false, true);
      onReply(sender);
    }
    counters.increment(sync.join() ? "swim.sync.join-received" : "swim.sync.received");
  }

  /** Runs the sync, join and reconnect timers due at {@code nowMillis}, in that order. */
  void onTick(long nowMillis) {
    if (nowMillis >= nextSyncAt) {
      nextSyncAt = nowMillis + config.syncIntervalMillis();
      Address peer = randomOf(members.othersInCluster());
      if (peer != null) {
        sendState(peer, 0, false, false);
      }
    }
    if (nowMillis >= nextJoinAt) {
      nextJoinAt = nowMillis + config.joinRetryMillis();
      // Until a whole list arrived, not only while no one else is known: a member that merely
      // probed us does not tell us the rest of the cluster.
      if ((!synced || members.othersInCluster().isEmpty()) && !seeds.isEmpty()) {
        Address seed = seeds.get(seedIndex++ % seeds.size());
        sendState(seed, 0, true, false);
        counters.increment("swim.join.attempts");
      }
    }
    if (nowMillis >= nextReconnectAt) {
      nextReconnectAt = nowMillis + config.reconnectIntervalMillis();
      Address dead = randomOf(members.dead());
      if (dead != null) {
        sendState(dead, 0, false, false);
        counters.increment("swim.reconnect.attempts");
      }
      Address stranger = nextUnknownSeed();
      if (stranger != null) {
        sendState(stranger, 0, false, false);
        counters.increment("swim.reconnect.unknown-seeds");
      }
    }
  }

  /** The earliest of the sync, join and reconnect deadlines. */
  long nextDeadline() {
    return Math.min(nextSyncAt, Math.min(nextJoinAt, nextReconnectAt));
  }

  /**
   * Sends our whole member list in pages. Our own entry leads the first page, which is how the
   * receiver of a request knows to answer once, with its own list.
   */
  private void sendState(Address to, long requestId, boolean join, boolean reply) {
    List<MemberUpdate> all = new ArrayList<>();
    all.add(members.self().toUpdate());
    for (Member m : members.all()) {
      if (!m.address().equals(self)) {
        all.add(m.toUpdate());
      }
    }
    for (int from = 0; from < all.size(); from += SYNC_PAGE) {
      List<MemberUpdate> page = all.subList(from, Math.min(all.size(), from + SYNC_PAGE));
      send(to, requestId, reply ? new SyncReply(page) : new SyncRequest(join, page));
    }
  }

  /**
   * The next seed, round robin, that is not in the member list at all (never heard of, or
   * forgotten), or null when every seed is known. Two islands that formed apart (each joined
   * through a different seed while the other was not up or not reachable) never hear of each
   * other otherwise: neither holds the other as dead, so the reconnect to dead members cannot
   * bring them together. Syncing with unknown seeds does, as long as each island holds a seed.
   */
  private Address nextUnknownSeed() {
    for (int tried = 0; tried < seeds.size(); tried++) {
      Address seed = seeds.get(unknownSeedIndex++ % seeds.size());
      if (members.get(seed) == null) {
        return seed;
      }
    }
    return null;
  }

  private Address randomOf(List<Member> candidates) {
    return candidates.isEmpty() ? null
        : candidates.get(random.nextInt(candidates.size())).address();
  }

  private void send(Address to, long requestId, Message message) {
    outbox.send(to, Envelope.of(self, requestId, message));
  }
}
