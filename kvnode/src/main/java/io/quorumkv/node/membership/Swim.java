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
 * <p>This class dispatches messages and runs the protocol period; the parts live beside it:
 * {@link FactMerge} applies what is heard, {@link Suspicions} keeps the suspicion timers,
 * {@link Refutation} answers facts about this node, {@link StateSync} runs the sync, join and
 * reconnect timers, and {@link Dissemination} queues what to piggyback.
 *
 * <p>Invariants: this node's own entry is alive (or left, once leaving); facts about this node
 * never enter the member list from outside, they are refuted instead; every timer is a named
 * deadline returned by {@link #nextWakeup()}.
 */
public final class Swim {

  private final NodeConfig config;
  private final Address self;
  private final RandomGenerator random;
  private final Outbox outbox;
  private final Counters counters;
  private final MemberList members;
  private final Dissemination dissemination = new Dissemination();
  private final Awareness awareness;
  private final Prober prober;
  private final Suspicions suspicions;
  private final FactMerge facts;
  private final StateSync sync;
  private long nextProbeAt;
  private long nextGossipAt;
  private long nextGcAt;
  private boolean leaving;

  public Swim(NodeConfig config, Address self, long generation, List<Address> seeds,
      RandomGenerator random, Outbox outbox, Counters counters, EventSink events, long nowMillis) {
    this.config = config;
    this.self = self;
    this.random = random;
    this.outbox = outbox;
    this.counters = counters;
    this.members = new MemberList(new Member(self, generation, 0, MemberState.ALIVE, nowMillis),
        config.maxMembers(), events, counters);
    this.awareness = new Awareness(config.awarenessMax());
    this.prober = new Prober(config, self, random, outbox, counters, members, awareness,
        this::piggyback);
    this.suspicions = new Suspicions(config, counters, members);
    this.facts = new FactMerge(self, outbox, counters, members, dissemination, suspicions,
        new Refutation(self, generation, () -> leaving, outbox, counters, members, dissemination,
            awareness));
    this.sync = new StateSync(config, self, seeds, random, outbox, counters, members, nowMillis);
    // Spread the first probes of nodes started together over one period.
    this.nextProbeAt = nowMillis + random.nextLong(config.probeIntervalMillis());
    this.nextGossipAt = nowMillis + config.gossipIntervalMillis();
    this.nextGcAt = nowMillis + config.probeIntervalMillis();
  }

  /** Handles a membership message; returns false if {@code message} is not one. */
  public boolean onMessage(Address from, Envelope envelope, long nowMillis) {
    Message message = envelope.message();
    Address sender = envelope.sender();
    long id = envelope.requestId();
    members.heardFrom(sender, nowMillis);
    if (message instanceof Ping ping) {
      facts.merge(ping.gossip(), sender, nowMillis);
      if (!ping.target().equals(self)) {
        counters.increment("swim.pings.misdirected");
        return true;
      }
      send(from, id, new Ack(piggyback()));
    } else if (message instanceof Ack ack) {
      facts.merge(ack.gossip(), sender, nowMillis);
      prober.onAck(id);
    } else if (message instanceof PingReq req) {
      facts.merge(req.gossip(), sender, nowMillis);
      prober.onPingReq(from, id, req.target(), nowMillis);
    } else if (message instanceof Nack nack) {
      facts.merge(nack.gossip(), sender, nowMillis);
      prober.onNack(id);
    } else if (message instanceof Gossip gossip) {
      facts.merge(gossip.gossip(), sender, nowMillis);
    } else if (message instanceof SyncRequest request) {
      facts.merge(request.members(), sender, nowMillis);
      sync.onRequest(from, sender, id, request);
    } else if (message instanceof SyncReply reply) {
      facts.merge(reply.members(), sender, nowMillis);
      sync.onReply(sender);
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
      facts.suspect(failed, nowMillis);
    }
    if (nowMillis >= nextProbeAt) {
      prober.startProbe(nowMillis);
      nextProbeAt = nowMillis + awareness.scale(config.probeIntervalMillis());
    }
    suspicions.expire(nowMillis, dead -> facts.merge(List.of(dead), self, nowMillis));
    if (nowMillis >= nextGossipAt) {
      nextGossipAt = nowMillis + config.gossipIntervalMillis();
      gossipRound();
    }
    sync.onTick(nowMillis);
    if (nowMillis >= nextGcAt) {
      nextGcAt = nowMillis + config.probeIntervalMillis();
      for (Address gone : members.forgetExpired(nowMillis, config.deadRetentionMillis())) {
        dissemination.forget(gone);
        suspicions.cancel(gone);
      }
    }
  }

  /** The earliest deadline among all membership timers. */
  public long nextWakeup() {
    if (leaving) {
      return Long.MAX_VALUE;
    }
    long next = Math.min(nextProbeAt, prober.nextDeadline());
    next = Math.min(next, Math.min(nextGossipAt, sync.nextDeadline()));
    next = Math.min(next, nextGcAt);
    return Math.min(next, suspicions.nextDeadline());
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
  /**
   * Whether another member's whole member list has reached this node since it started (see
   * {@link StateSync#synced()}): until then its ring may lack members, and it should not
   * coordinate requests.
   */
  public boolean synced() {
    return sync.synced();
  }

  public long viewVersion() {
    return members.viewVersion();
  }

  /** A read-only copy of the health score, for status and tests. */
  public int awarenessScore() {
    return awareness.score();
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

  private List<MemberUpdate> piggyback() {
    return dissemination.take(config.maxPiggybackUpdates(),
        config.retransmitLimit(members.clusterSize()));
  }

  private void send(Address to, long requestId, Message message) {
    outbox.send(to, Envelope.of(self, requestId, message));
  }
}
