package io.quorumkv.node.membership;

import io.quorumkv.common.wire.Ack;
import io.quorumkv.common.wire.Address;
import io.quorumkv.common.wire.Envelope;
import io.quorumkv.common.wire.MemberState;
import io.quorumkv.common.wire.MemberUpdate;
import io.quorumkv.common.wire.Nack;
import io.quorumkv.common.wire.Ping;
import io.quorumkv.common.wire.PingReq;
import io.quorumkv.node.Counters;
import io.quorumkv.node.NodeConfig;
import io.quorumkv.node.net.Outbox;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * SWIM failure detection, both roles.
 *
 * <p>As prober, once per (health-scaled) protocol period: pick the next member in a shuffled
 * round-robin order, ping it, and if no ack arrives within the probe timeout ask k other members
 * to ping it for us (ping-req). If by the end of the period neither a direct nor a relayed ack
 * came back, the target is handed to the caller to be suspected. Lifeguard: a failed probe raises
 * our own awareness score, the more so when the intermediaries did not even send nacks (then the
 * fault is likely ours); a successful probe lowers it.
 *
 * <p>As intermediary, for a ping-req: ping the target with our own request id, forward its ack to
 * the requester under the requester's id, or send a nack when the target stays silent for most of
 * the probe timeout. Relays are bounded and expire after one protocol period.
 */
final class Prober {

  /** Most ping-reqs relayed at once; a flood beyond that is dropped and counted. */
  static final int MAX_RELAYS = 256;

  private static final class Probe {
    final Address target;
    final long requestId;
    final long indirectAtMillis;
    final long endAtMillis;
    boolean acked;
    boolean indirectSent;
    int expectedNacks;
    int nacks;

    Probe(Address target, long requestId, long indirectAtMillis, long endAtMillis) {
      this.target = target;
      this.requestId = requestId;
      this.indirectAtMillis = indirectAtMillis;
      this.endAtMillis = endAtMillis;
    }
  }

  private record Relay(Address requester, long requesterId, Address target, long nackAtMillis,
      long expireAtMillis, boolean nacked) {
  }

  private final NodeConfig config;
  private final Address self;
  private final RandomGenerator random;
  private final Outbox outbox;
  private final Counters counters;
  private final MemberList members;
  private final Awareness awareness;
  private final Supplier<List<MemberUpdate>> piggyback;
  private final List<Address> order = new ArrayList<>();
  private final TreeMap<Long, Relay> relays = new TreeMap<>();
  private int orderIndex;
  private long nextRequestId = 1;
  private Probe probe;

  Prober(NodeConfig config, Address self, RandomGenerator random, Outbox outbox, Counters counters,
      MemberList members, Awareness awareness, Supplier<List<MemberUpdate>> piggyback) {
    this.config = config;
    this.self = self;
    this.random = random;
    this.outbox = outbox;
    this.counters = counters;
    this.members = members;
    this.awareness = awareness;
    this.piggyback = piggyback;
  }

  /** Starts a probe of the next member; returns false when there is nobody to probe. */
  boolean startProbe(long nowMillis) {
    Address target = nextTarget();
    if (target == null) {
      return false;
    }
    long id = nextRequestId++;
    probe = new Probe(target, id, nowMillis + awareness.scale(config.probeTimeoutMillis()),
        nowMillis + awareness.scale(config.probeIntervalMillis()));
    send(target, id, new Ping(target, withSuspicionOf(target)));
    counters.increment("swim.probes");
    return true;
  }

  /**
   * Runs due probe and relay timers. Returns the member whose probe failed this period (to be
   * suspected by the caller), or null.
   */
  Address onTick(long nowMillis) {
    expireRelays(nowMillis);
    if (probe == null) {
      return null;
    }
    if (!probe.acked && !probe.indirectSent && nowMillis >= probe.indirectAtMillis) {
      sendIndirect();
    }
    if (nowMillis < probe.endAtMillis) {
      return null;
    }
    Probe finished = probe;
    probe = null;
    if (finished.acked) {
      return null;
    }
    // Lifeguard: a failed probe hints that we may be the slow one; missing nacks hint it more.
    int delta = 1 + Math.max(0, finished.expectedNacks - finished.nacks);
    awareness.apply(delta);
    counters.increment("swim.probes.failed");
    return finished.target;
  }

  /** The next time {@link #onTick} has work, or {@code Long.MAX_VALUE}. */
  long nextDeadline() {
    long next = Long.MAX_VALUE;
    if (probe != null) {
      next = probe.endAtMillis;
      if (!probe.acked && !probe.indirectSent) {
        next = Math.min(next, probe.indirectAtMillis);
      }
    }
    for (Relay r : relays.values()) {
      next = Math.min(next, r.nacked() ? r.expireAtMillis() : r.nackAtMillis());
    }
    return next;
  }

  /** An ack arrived: completes our probe or is forwarded to the member that asked us to relay. */
  void onAck(long requestId) {
    if (probe != null && probe.requestId == requestId) {
      if (!probe.acked) {
        probe.acked = true;
        awareness.apply(-1);
      }
      return;
    }
    Relay relay = relays.remove(requestId);
    if (relay != null) {
      send(relay.requester(), relay.requesterId(), new Ack(piggyback.get()));
      return;
    }
    counters.increment("swim.acks.late");
  }

  void onNack(long requestId) {
    if (probe != null && probe.requestId == requestId) {
      probe.nacks++;
    }
  }

  /** Another member asks us to ping {@code target} on its behalf. */
  void onPingReq(Address requester, long requesterId, Address target, long nowMillis) {
    if (target.equals(self)) {
      // We are the target ourselves: answer as if pinged through the relay.
      send(requester, requesterId, new Ack(piggyback.get()));
      return;
    }
    if (relays.size() >= MAX_RELAYS) {
      counters.increment("swim.relays.full");
      return;
    }
    long id = nextRequestId++;
    // The nack must reach the requester before its own probe period ends.
    long nackAt = nowMillis + config.probeTimeoutMillis() * 4 / 5;
    relays.put(id, new Relay(requester, requesterId, target, nackAt,
        nowMillis + config.probeIntervalMillis(), false));
    send(target, id, new Ping(target, piggyback.get()));
  }

  /**
   * The piggyback for a ping to {@code target}, led by the suspicion about it if there is one
   * (Lifeguard's buddy system: a suspect learns of its suspicion from the first member that
   * probes it, and can refute at once).
   */
  private List<MemberUpdate> withSuspicionOf(Address target) {
    List<MemberUpdate> updates = piggyback.get();
    Member m = members.get(target);
    if (m == null || m.state() != MemberState.SUSPECT) {
      return updates;
    }
    List<MemberUpdate> led = new ArrayList<>(updates.size() + 1);
    led.add(m.toUpdate());
    for (MemberUpdate u : updates) {
      if (!u.address().equals(target)) {
        led.add(u);
      }
    }
    return led;
  }

  private void expireRelays(long nowMillis) {
    Iterator<Map.Entry<Long, Relay>> it = relays.entrySet().iterator();
    while (it.hasNext()) {
      Map.Entry<Long, Relay> entry = it.next();
      Relay r = entry.getValue();
      if (nowMillis >= r.expireAtMillis()) {
        it.remove();
      } else if (!r.nacked() && nowMillis >= r.nackAtMillis()) {
        send(r.requester(), r.requesterId(), new Nack(r.target(), piggyback.get()));
        entry.setValue(new Relay(r.requester(), r.requesterId(), r.target(), r.nackAtMillis(),
            r.expireAtMillis(), true));
      }
    }
  }

  private void sendIndirect() {
    probe.indirectSent = true;
    List<Address> helpers = new ArrayList<>();
    for (Member m : members.othersInCluster()) {
      if (!m.address().equals(probe.target)) {
        helpers.add(m.address());
      }
    }
    int k = Math.min(config.indirectProbes(), helpers.size());
    partialShuffle(helpers, k);
    for (int i = 0; i < k; i++) {
      send(helpers.get(i), probe.requestId, new PingReq(probe.target, piggyback.get()));
    }
    probe.expectedNacks = k;
    counters.increment("swim.probes.indirect");
  }

  /**
   * Round-robin over a shuffled list of members, reshuffled each time it is used up (SWIM's
   * "randomized round-robin": every member is probed within a bounded number of periods).
   */
  private Address nextTarget() {
    for (int attempts = 0; attempts < 2; attempts++) {
      while (orderIndex < order.size()) {
        Address candidate = order.get(orderIndex++);
        Member m = members.get(candidate);
        if (m != null && m.inCluster() && !candidate.equals(self)) {
          return candidate;
        }
      }
      order.clear();
      for (Member m : members.othersInCluster()) {
        order.add(m.address());
      }
      partialShuffle(order, order.size());
      orderIndex = 0;
    }
    return null;
  }

  /** Moves {@code k} uniformly chosen elements to the front of {@code list} (Fisher-Yates). */
  private void partialShuffle(List<Address> list, int k) {
    for (int i = 0; i < k && i < list.size() - 1; i++) {
      int j = i + random.nextInt(list.size() - i);
      Address tmp = list.get(i);
      list.set(i, list.get(j));
      list.set(j, tmp);
    }
  }

  private void send(Address to, long requestId, io.quorumkv.common.wire.Message message) {
    outbox.send(to, Envelope.of(self, requestId, message));
  }
}
