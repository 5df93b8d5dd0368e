package io.quorumkv.node.net;

import io.quorumkv.common.wire.Address;
import io.quorumkv.common.wire.Limits;
import io.quorumkv.node.Counters;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads datagrams from a non-blocking UDP socket into one reusable buffer. The buffer holds one
 * byte more than {@link Limits#MAX_DATAGRAM_BYTES}: the kernel truncates a larger datagram to the
 * buffer, so a datagram that fills it is known to be oversized, and its length is passed on for
 * the codec to reject and count as such. Used only by the loop thread.
 */
final class DatagramReceiver {

  /** Most senders remembered in {@link #senders}. */
  static final int MAX_SENDERS = 4096;

  private static final System.Logger LOG = System.getLogger(DatagramReceiver.class.getName());

  private final DatagramChannel channel;
  private final Counters counters;
  private final Counters.Counter received;
  private final Address self;
  private final ByteBuffer buffer = ByteBuffer.allocate(Limits.MAX_DATAGRAM_BYTES + 1);
  /**
   * Senders already named, so that a datagram costs a hash lookup instead of formatting the IP
   * address and building an {@link Address} (with its host string): a node hears from a few
   * peers and clients. Past {@link #MAX_SENDERS} (many short-lived clients) it starts over.
   */
  private final Map<InetSocketAddress, Address> senders = new HashMap<>();
  private Address from;
  private int length;
  private boolean errorLogged;

  DatagramReceiver(DatagramChannel channel, Counters counters, Address self) {
    this.channel = channel;
    this.counters = counters;
    this.received = counters.counter("net.received");
    this.self = self;
  }

  /**
   * Receives one datagram if one is waiting. Returns false when the socket has nothing more (or
   * failed: counted in {@code net.receive.errors}). After true, {@link #from()} is the sender, or
   * null if the sender is not an IPv4 address (counted in {@code net.receive.unsupported-address},
   * since an {@link Address} cannot name it); the datagram is then to be skipped.
   */
  boolean receive() {
    buffer.clear();
    SocketAddress source;
    try {
      source = channel.receive(buffer);
    } catch (IOException e) {
      counters.increment("net.receive.errors");
      if (!errorLogged) {
        errorLogged = true;
        LOG.log(System.Logger.Level.WARNING, "receive failed on " + self
            + " (further receive errors are only counted in net.receive.errors): " + e);
      }
      return false;
    }
    if (source == null) {
      return false;
    }
    received.increment();
    length = buffer.position();
    from = toAddress(source);
    if (from == null) {
      counters.increment("net.receive.unsupported-address");
    }
    return true;
  }

  /** The last datagram's sender, or null if it cannot be named. */
  Address from() {
    return from;
  }

  /** The buffer holding the last datagram from offset 0; valid until the next receive. */
  byte[] bytes() {
    return buffer.array();
  }

  /** The last datagram's length; {@code MAX_DATAGRAM_BYTES + 1} means it was larger. */
  int length() {
    return length;
  }

  private Address toAddress(SocketAddress source) {
    if (!(source instanceof InetSocketAddress)) {
      return null;
    }
    InetSocketAddress inet = (InetSocketAddress) source;
    if (!(inet.getAddress() instanceof Inet4Address)) {
      return null;
    }
    Address known = senders.get(inet);
    if (known == null) {
      if (senders.size() >= MAX_SENDERS) {
        senders.clear();
      }
      known = new Address(inet.getAddress().getHostAddress(), inet.getPort());
      senders.put(inet, known);
    }
    return known;
  }
}
