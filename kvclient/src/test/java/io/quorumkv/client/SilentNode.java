package io.quorumkv.client;

import io.quorumkv.common.wire.Address;
import io.quorumkv.common.wire.Bundle;
import io.quorumkv.common.wire.Decoded;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * A node that is there but never answers: a bound socket nobody reads. Datagrams sent to it wait in
 * its receive buffer, so a test can count exactly how many arrived.
 */
final class SilentNode implements AutoCloseable {

  private final DatagramChannel channel;
  private final Address address;

  SilentNode() throws IOException {
    channel = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
    address = new Address("127.0.0.1", ((InetSocketAddress) channel.getLocalAddress()).getPort());
  }

  Address address() {
    return address;
  }

  /**
   * Removes and counts the requests received so far, each part of a bundle one (loopback
   * delivers at send time).
   */
  int drainCount() throws IOException {
    return drainIds().size();
  }

  /**
   * Removes the datagrams received so far and returns the request ids they carry (each part of
   * a bundle), in arrival order.
   */
  List<Long> drainIds() throws IOException {
    channel.configureBlocking(false);
    ByteBuffer buffer = ByteBuffer.allocate(65_536);
    List<Long> ids = new ArrayList<>();
    while (ids.size() < 10_000) {
      buffer.clear();
      if (channel.receive(buffer) == null) {
        break;
      }
      buffer.flip();
      Bundle.PartHandler collect = (b, o, n) -> {
        if (FakeNode.CODEC.decode(b, o, n) instanceof Decoded.Ok ok) {
          ids.add(ok.envelope().requestId());
        }
      };
      if (Bundle.isBundle(buffer.array(), 0, buffer.limit())) {
        Bundle.forEachPart(buffer.array(), 0, buffer.limit(), collect);
      } else {
        collect.onPart(buffer.array(), 0, buffer.limit());
      }
    }
    channel.configureBlocking(true);
    return ids;
  }

  /** An address where nothing listens: a port that was free a moment ago. */
  static Address closedPort() throws IOException {
    try (DatagramChannel probe = DatagramChannel.open()) {
      probe.bind(new InetSocketAddress("127.0.0.1", 0));
      return new Address("127.0.0.1", ((InetSocketAddress) probe.getLocalAddress()).getPort());
    }
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
