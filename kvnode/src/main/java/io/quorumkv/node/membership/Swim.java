package io.quorumkv.node.membership;

import io.quorumkv.common.wire.Ack;
import io.quorumkv.common.wire.Address;
import io.quorumkv.common.wire.Envelope;
import io.quorumkv.common.wire.Gossip;
import io.quorumkv.common.wire.MemberState;
import io.quorumkv.common.wire.MemberStatus;
import io.quorumkv.common.wire.MemberUpdate;
import io.quorumkv.common.wire.Message;
import io.quorumkv.common.wire.Nack;
import io.quorumkv.common.wire.Ping;
import io.quorumkv.common.wire.PingReq;
import io.quorumkv.common.wire.SyncReply;
import io.quorumkv.common.wire.SyncRequest;
import io.quorumkv.node.Counters;
import io.quorumkv.node.EventSink;
import io.quorumkv.node.NodeConfig;
import io.quorumkv.node.net.Outbox;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.random.RandomGenerator;

/**
 * SWIM membership with Lifeguard's refinements, as a sans-IO state machine.
 *
 * <p>Theory of operation. Every member is alive, suspect, dead or left, per generation (one
 * process lifetime) and incarnation (bumped only by the member itself). {@link Prober} finds
 * members that do not answer direct and indirect probes; we then gossip "suspect", and every node
 * that hears it starts its own {@link Suspicion} timer, which expires into "dead" unless the member
 * refutes by gossiping "alive" at a higher incarnation. Facts spread by piggybacking on probes, by
 * a periodic gossip push to a few members, and by a periodic full-state sync (push-pull) with a
 * random member, which also repairs lost gossip. A node with no other live member keeps sending a
 * join sync to its seeds in turn; a node periodically syncs with one member it believes dead, so
 * that the two sides of a healed partition find each other again, and with one seed it has not
 * heard of, so that two islands that formed apart (neither ever saw the other) merge.
 *
 * <p>Invariants: this node's own entry is alive (or left, once leaving); facts about this node
 * never enter the member list from outside, they are refuted instead; every timer is a named
 * deadline returned by {@link #nextWakeup()}.
 */
public final class Swim {

  /** Member entries per sync datagram: 20 entries fit in a datagram even with 253-byte hosts. */
  static final int SYNC_PAGE = 20;

  private final NodeConfig config;
  private final Address self;
  private final long generation;
  private final List<Address> seeds;
  /** Round-robin cursor over {@link #seeds} for {@link #nextUnknownSeed}. */
  private int unknownSeedIndex;
  private final RandomGenerator random;
  private final Outbox outbox;
  private final Counters counters;
  private final MemberList members;
  private final Dissemination dissemination = new Dissemination();
  private final Awareness awareness;
  private final Prober prober;
  private final TreeMap<Address, Suspicion> suspicions = new TreeMap<>();
  private long nextProbeAt;
  private long nextGossipAt;
  private long nextSyncAt;
  private long nextJoinAt;
  private long nextReconnectAt;
  private long nextGcAt;
  private int seedIndex;
  private boolean leaving;

  public Swim(NodeConfig config, Address self, long generation, List<Address> seeds,
      RandomGenerator random, Outbox outbox, Counters counters, EventSink events, long nowMillis) {
    this.config = config;
    this.self = self;
    this.generation = generation;
    this.seeds = seeds.stream().filter(s -> !s.equals(self)).distinct().toList();
    this.random = random;
    this.outbox = outbox;
    this.counters = counters;
    this.members = new MemberList(new Member(self, generation, 0, MemberState.ALIVE, nowMillis),
        config.maxMembers(), events, counters);
    this.awareness = new Awareness(config.awarenessMax());
    this.prober = new Prober(config, self, random, outbox, counters, members, awareness,
        this::piggyback);
    // Spread the first probes of nodes started together over one period.
    this.nextProbeAt = nowMillis + random.nextLong(config.probeIntervalMillis());
    this.nextGossipAt = nowMillis + config.gossipIntervalMillis();
    this.nextSyncAt = nowMillis + config.syncIntervalMillis();
    this.nextJoinAt = nowMillis;
    this.nextReconnectAt = nowMillis + config.reconnectIntervalMillis();
    this.nextGcAt = nowMillis + config.probeIntervalMillis();
  }

  /** Handles a membership message; returns false if {@code message} is not one. */
  public boolean onMessage(Address from, Envelope envelope, long nowMillis) {
    Message message = envelope.message();
    Address sender = envelope.sender();
    long id = envelope.requestId();
    members.heardFrom(sender, nowMillis);
    if (message instanceof Ping ping) {
      merge(ping.gossip(), sender, nowMillis);
      if (!ping.target().equals(self)) {
        counters.increment("swim.pings.misdirected");
        return true;
      }
      send(from, id, new Ack(piggyback()));
    } else if (message instanceof Ack ack) {
      merge(ack.gossip(), sender, nowMillis);
      prober.onAck(id);
    } else if (message instanceof PingReq req) {
      merge(req.gossip(), sender, nowMillis);
      prober.onPingReq(from, id, req.target(), nowMillis);
    } else if (message instanceof Nack nack) {
      merge(nack.gossip(), sender, nowMillis);
      prober.onNack(id);
    } else if (message instanceof Gossip gossip) {
      merge(gossip.gossip(), sender, nowMillis);
    } else if (message instanceof SyncRequest sync) {
      merge(sync.members(), sender, nowMillis);
      boolean firstPage = !sync.members().isEmpty()
          && sync.members().get(0).address().equals(sender);
      if (firstPage) {
        sendState(from, id, false, true);
      }
      counters.increment(sync.join() ? "swim.sync.join-received" : "swim.sync.received");
    } else if (message instanceof SyncReply reply) {
      merge(reply.members(), sender, nowMillis);
    } else {
      return false;
    }
    return true;
  }

  /** Runs every timer due at {@code nowMillis}. */
  public void onTick(long nowMillis) {
    if (leaving) {
      return;
    }
    Address failed = prober.onTick(nowMillis);
    if (failed != null) {
      suspect(failed, nowMillis);
    }
    if (nowMillis >= nextProbeAt) {
      prober.startProbe(nowMillis);
      nextProbeAt = nowMillis + awareness.scale(config.probeIntervalMillis());
    }
    expireSuspicions(nowMillis);
    if (nowMillis >= nextGossipAt) {
      nextGossipAt = nowMillis + config.gossipIntervalMillis();
      gossipRound();
    }
    if (nowMillis >= nextSyncAt) {
      nextSyncAt = nowMillis + config.syncIntervalMillis();
      Address peer = randomOf(members.othersInCluster());
      if (peer != null) {
        sendState(peer, 0, false, false);
      }
    }
    if (nowMillis >= nextJoinAt) {
      nextJoinAt = nowMillis + config.joinRetryMillis();
      if (members.othersInCluster().isEmpty() && !seeds.isEmpty()) {
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
    if (nowMillis >= nextGcAt) {
      nextGcAt = nowMillis + config.probeIntervalMillis();
      for (Address gone : members.forgetExpired(nowMillis, config.deadRetentionMillis())) {
        dissemination.forget(gone);
        suspicions.remove(gone);
      }
    }
  }

  /** The earliest deadline among all membership timers. */
  public long nextWakeup() {
    if (leaving) {
      return Long.MAX_VALUE;
    }
    long next = Math.min(nextProbeAt, prober.nextDeadline());
    next = Math.min(next, Math.min(nextGossipAt, nextSyncAt));
    next = Math.min(next, Math.min(nextJoinAt, nextReconnectAt));
    next = Math.min(next, nextGcAt);
    for (Suspicion s : suspicions.values()) {
      next = Math.min(next, s.deadlineMillis());
    }
    return next;
  }

  /** Announces a graceful leave to every member directly, then stops all timers. */
  public void leave(long nowMillis) {
    if (leaving) {
      return;
    }
    leaving = true;
    Member me = members.self();
    members.updateSelf(me.incarnation() + 1, MemberState.LEFT, nowMillis);
    List<MemberUpdate> farewell = List.of(members.self().toUpdate());
    for (Member m : members.othersInCluster()) {
      send(m.address(), 0, new Gossip(farewell));
    }
  }

  /** The member list as shown by status, self included, in address order. */
  public List<MemberStatus> status(long nowMillis) {
    List<MemberStatus> out = new ArrayList<>();
    for (Member m : members.all()) {
      long heard = members.lastHeardMillis(m.address());
      out.add(new MemberStatus(m.address(), m.state(), m.generation(), m.incarnation(),
          heard < 0 ? -1 : Math.max(0, nowMillis - heard)));
    }
    return out;
  }

  /** Addresses of members in the cluster (alive or suspect), self included, in address order. */
  public List<Address> clusterMembers() {
    List<Address> out = new ArrayList<>();
    for (Member m : members.all()) {
      if (m.inCluster()) {
        out.add(m.address());
      }
    }
    return out;
  }

  /** Members in the cluster with their generations, self included, in address order. */
  public java.util.SortedMap<Address, Long> clusterView() {
    java.util.SortedMap<Address, Long> out = new TreeMap<>();
    for (Member m : members.all()) {
      if (m.inCluster()) {
        out.put(m.address(), m.generation());
      }
    }
    return out;
  }

  /** A counter that changes whenever {@link #clusterView()} may have changed. */
  public long viewVersion() {
    return members.viewVersion();
  }

  /** A read-only copy of the health score, for status and tests. */
  public int awarenessScore() {
    return awareness.score();
  }

  private void merge(List<MemberUpdate> updates, Address sender, long nowMillis) {
    for (MemberUpdate update : updates) {
      if (update.address().equals(self)) {
        refuteIfNeeded(update, sender, nowMillis);
        continue;
      }
      Member before = members.get(update.address());
      if (members.apply(update, nowMillis) == MemberList.Outcome.CHANGED) {
        dissemination.enqueue(update);
        if (update.state() == MemberState.SUSPECT) {
          startSuspicion(update, sender, nowMillis);
          // Lifeguard's buddy system: random gossip may miss the suspect for a whole suspicion
          // timeout, so everyone who learns of a suspicion tells the suspect once, directly.
          send(update.address(), 0, new Gossip(List.of(update)));
        } else {
          suspicions.remove(update.address());
        }
        if (update.state() == MemberState.DEAD) {
          counters.increment("swim.dead.learned");
        }
      } else if (before != null && isStaleBadNews(before, update)) {
        // Bad news older than what we know (typically a suspicion the member already refuted)
        // can outlive the refutation's own gossip; answer it by spreading our newer fact again.
        dissemination.enqueue(before.toUpdate());
        counters.increment("swim.stale-news.corrected");
      } else if (update.state() == MemberState.SUSPECT && before != null
          && before.state() == MemberState.SUSPECT
          && before.generation() == update.generation()
          && before.incarnation() == update.incarnation()) {
        Suspicion s = suspicions.get(update.address());
        if (s != null && s.confirm(sender)) {
          counters.increment("swim.suspicions.confirmed");
        }
      }
    }
  }

  /** True when {@code update} is suspect/dead news strictly older than the fact we hold. */
  private static boolean isStaleBadNews(Member held, MemberUpdate update) {
    if (update.state() != MemberState.SUSPECT && update.state() != MemberState.DEAD) {
      return false;
    }
    return held.generation() > update.generation()
        || (held.generation() == update.generation() && held.incarnation() > update.incarnation());
  }

  /** Someone says we are suspect, dead or left in this life: deny it at a higher incarnation. */
  private void refuteIfNeeded(MemberUpdate update, Address accuser, long nowMillis) {
    Member me = members.self();
    if (update.generation() != generation) {
      if (update.generation() > generation) {
        // Another process claims our address with a newer life; we cannot win, only report it.
        counters.increment("swim.self.newer-generation-seen");
      }
      return;
    }
    if (leaving || update.state() == MemberState.ALIVE) {
      return;
    }
    if (update.incarnation() < me.incarnation()) {
      // Already refuted, but the old suspicion still travels: repeat our answer.
      dissemination.enqueue(me.toUpdate());
    } else {
      members.updateSelf(update.incarnation() + 1, MemberState.ALIVE, nowMillis);
      dissemination.enqueue(members.self().toUpdate());
      // Being suspected suggests we were slow to answer: probe more patiently for a while.
      awareness.apply(1);
      counters.increment("swim.refutations");
    }
    // The accuser hears the answer at once; gossip carries it to everyone else.
    send(accuser, 0, new Gossip(List.of(members.self().toUpdate())));
  }

  private void suspect(Address target, long nowMillis) {
    Member m = members.get(target);
    if (m == null || m.state() != MemberState.ALIVE) {
      return;
    }
    counters.increment("swim.suspected");
    merge(List.of(new MemberUpdate(target, m.generation(), m.incarnation(),
        MemberState.SUSPECT)), self, nowMillis);
  }

  private void startSuspicion(MemberUpdate update, Address reporter, long nowMillis) {
    int n = members.clusterSize();
    // Lifeguard expects suspicionMult - 2 independent confirmations, fewer in tiny clusters.
    int expected = n - 2 < config.suspicionMult() - 2 ? 0 : config.suspicionMult() - 2;
    suspicions.put(update.address(), new Suspicion(update.incarnation(), nowMillis,
        config.minSuspicionTimeoutMillis(n), config.maxSuspicionTimeoutMillis(n), expected,
        reporter));
  }

  private void expireSuspicions(long nowMillis) {
    List<Address> due = new ArrayList<>();
    for (Map.Entry<Address, Suspicion> e : suspicions.entrySet()) {
      if (nowMillis >= e.getValue().deadlineMillis()) {
        due.add(e.getKey());
      }
    }
    for (Address address : due) {
      Suspicion s = suspicions.remove(address);
      Member m = members.get(address);
      if (m != null && m.state() == MemberState.SUSPECT && m.incarnation() == s.incarnation()) {
        counters.increment("swim.declared-dead");
        merge(List.of(new MemberUpdate(address, m.generation(), m.incarnation(),
            MemberState.DEAD)), self, nowMillis);
      }
    }
  }

  private void gossipRound() {
    if (dissemination.isEmpty()) {
      return;
    }
    List<Member> others = members.othersInCluster();
    for (int i = 0; i < config.gossipFanout() && !others.isEmpty(); i++) {
      Member target = others.remove(random.nextInt(others.size()));
      List<MemberUpdate> updates = piggyback();
      if (updates.isEmpty()) {
        return;
      }
      send(target.address(), 0, new Gossip(updates));
    }
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

  private List<MemberUpdate> piggyback() {
    return dissemination.take(config.maxPiggybackUpdates(),
        config.retransmitLimit(members.clusterSize()));
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
