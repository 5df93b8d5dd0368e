package io.quorumkv.node.net;

import io.quorumkv.common.wire.Address;
import io.quorumkv.node.Counters;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.UnresolvedAddressException;
import java.nio.channels.UnsupportedAddressTypeException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Puts a node's outgoing datagrams on a non-blocking UDP socket with UDP's semantics: a datagram
 * that does not fit in the socket buffer ({@code net.send.dropped}) or whose send fails
 * ({@code net.send.errors}) is counted and skipped, so the loop never waits and never dies on a
 * send. Used only by the loop thread.
 */
final class DatagramSender {

  /** Most resolved destinations remembered, so a send does not rebuild its socket address. */
  private static final int MAX_CACHED_TARGETS = 1024;

  private static final System.Logger LOG = System.getLogger(DatagramSender.class.getName());

  private final DatagramChannel channel;
  private final Counters counters;
  private final Counters.Counter sent;
  private final Counters.Counter dropped;
  private final Address self;
  private final Map<Address, InetSocketAddress> targets =
      new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Address, InetSocketAddress> eldest) {
          return size() > MAX_CACHED_TARGETS;
        }
      };
  private boolean errorLogged;

  DatagramSender(DatagramChannel channel, Counters counters, Address self) {
    this.channel = channel;
    this.counters = counters;
    this.sent = counters.counter("net.sent");
    this.dropped = counters.counter("net.send.dropped");
    this.self = self;
  }

  /** Sends every datagram queued in {@code outbox}, oldest first, bundled per peer. */
  void drain(Outbox outbox) {
    if (outbox.isEmpty()) {
      return;
    }
    send(outbox.drainBundled());
  }

  /** Sends {@code datagrams}, oldest first. */
  void send(List<Outbox.Datagram> datagrams) {
    for (Outbox.Datagram datagram : datagrams) {
      send(datagram);
    }
  }

  private void send(Outbox.Datagram datagram) {
    try {
      int written = channel.send(ByteBuffer.wrap(datagram.bytes()), target(datagram.to()));
      (written == 0 ? dropped : sent).increment();
    } catch (IOException | UnresolvedAddressException | UnsupportedAddressTypeException e) {
      counters.increment("net.send.errors");
      if (!errorLogged) {
        errorLogged = true;
        LOG.log(System.Logger.Level.WARNING, "send from " + self + " to " + datagram.to()
            + " failed (further send errors are only counted in net.send.errors): " + e);
      }
    }
  }

  private InetSocketAddress target(Address to) {
    InetSocketAddress cached = targets.get(to);
    if (cached != null) {
      return cached;
    }
    // Addresses are IP literals in practice (the bound address of each node), so this does not
    // block on DNS. An unresolved name is not cached, so that it is retried on the next send.
    InetSocketAddress resolved = new InetSocketAddress(to.host(), to.port());
    if (!resolved.isUnresolved()) {
      targets.put(to, resolved);
    }
    return resolved;
  }
}
