package io.quorumkv.node.emul;

import io.quorumkv.common.wire.Address;
import io.quorumkv.node.Counters;
import java.util.Arrays;
import java.util.random.RandomGenerator;

/**
 * The links between addresses. A datagram meets the {@link Faults} twice: when it is sent, where
 * the network's own random decides whether it is lost, when it lands and whether it lands twice;
 * and when it would be delivered, where a partition or one-way block drops it. What lands goes to
 * the live node on the address, to a client, or is dropped as sent to a dead or unknown address.
 * Every step is counted in the network's stats and written to the trace, under one link label
 * (sender, receiver, size and a hash of the bytes) that follows the datagram.
 */
final class Links {

  private final Faults faults;
  private final RandomGenerator faultRandom;
  private final EventQueue queue;
  private final Trace trace;
  private final Counters stats;
  private final ClientInboxes clients;
  private final Hosts hosts;

  Links(Faults faults, RandomGenerator faultRandom, EventQueue queue, Trace trace, Counters stats,
      ClientInboxes clients, Hosts hosts) {
    this.faults = faults;
    this.faultRandom = faultRandom;
    this.queue = queue;
    this.trace = trace;
    this.stats = stats;
    this.clients = clients;
    this.hosts = hosts;
  }

  /** A datagram leaves {@code from} now: the faults decide whether, when and how often it lands. */
  void transmit(Address from, Address to, byte[] bytes) {
    stats.increment("net.sent");
    String link = from + ">" + to + " " + bytes.length + "#"
        + Integer.toHexString(Arrays.hashCode(bytes));
    Faults.Fate fate = faults.decide(faultRandom);
    if (fate.lost()) {
      stats.increment("net.dropped.loss");
      trace.add(now() + " lose " + link);
      return;
    }
    trace.add(now() + " send " + link + " +" + fate.delayMillis());
    queue.schedule(now() + fate.delayMillis(), () -> deliver(from, to, bytes, link));
    if (fate.duplicated()) {
      stats.increment("net.duplicated");
      trace.add(now() + " dup " + link + " +" + fate.duplicateDelayMillis());
      queue.schedule(now() + fate.duplicateDelayMillis(), () -> deliver(from, to, bytes, link));
    }
  }

  private void deliver(Address from, Address to, byte[] bytes, String link) {
    if (faults.blocks(from, to)) {
      stats.increment("net.dropped.blocked");
      trace.add(now() + " block " + link);
      return;
    }
    Host host = hosts.live(to);
    if (host != null) {
      stats.increment("net.delivered");
      trace.add(now() + " deliver " + link);
      hosts.deliver(host, from, bytes);
      return;
    }
    if (clients.isClient(to)) {
      trace.add(now() + " client " + link);
      clients.deliver(now(), to, from, bytes);
      return;
    }
    String why = hosts.hadNode(to) ? "dead" : "unknown";
    stats.increment("net.dropped." + why);
    trace.add(now() + " drop-" + why + " " + link);
  }

  private long now() {
    return queue.now();
  }
}
