package io.quorumkv.node.net;

import io.quorumkv.common.wire.Address;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;

/**
 * A node's one UDP socket, opened and configured for {@link UdpEventLoop}: non-blocking, IPv4,
 * bound to a concrete address (the node's name in the cluster), with large buffers, and
 * registered with its own selector.
 */
record NodeSocket(DatagramChannel channel, Selector selector, Address address) {

  // The loop's logger: closing the socket is the end of the loop's life, told under its name.
  private static final System.Logger LOG = System.getLogger(UdpEventLoop.class.getName());

  /**
   * The socket's receive and send buffers asked of the kernel, which caps them at
   * {@code net.core.rmem_max} and {@code wmem_max} (4 MiB on this project's machines, often
   * 208 KiB elsewhere). Linux's default of 208 KiB holds only about 200 small datagrams: a
   * node answering 30,000 datagrams a second lost some in every pause of its loop (a young
   * collection, a burst of anti-entropy), and each loss cost a retransmission interval.
   */
  static final int SOCKET_BUFFER_BYTES = 4 << 20;

  /** See {@link UdpEventLoop#bind}: its checks and exceptions are this method's. */
  static NodeSocket open(Address requested) throws IOException {
    InetSocketAddress socketAddress = new InetSocketAddress(requested.host(), requested.port());
    if (socketAddress.isUnresolved()) {
      throw new IllegalArgumentException("cannot resolve host '" + requested.host() + "'");
    }
    InetAddress host = socketAddress.getAddress();
    if (!(host instanceof Inet4Address)) {
      throw new IllegalArgumentException("'" + requested.host() + "' is not an IPv4 address");
    }
    if (host.isAnyLocalAddress()) {
      throw new IllegalArgumentException("bind to a concrete address, not the wildcard "
          + host.getHostAddress() + ": the bound address is the node's name in the cluster");
    }
    DatagramChannel channel = DatagramChannel.open(StandardProtocolFamily.INET);
    Selector selector = null;
    try {
      channel.bind(socketAddress);
      channel.setOption(StandardSocketOptions.SO_RCVBUF, SOCKET_BUFFER_BYTES);
      channel.setOption(StandardSocketOptions.SO_SNDBUF, SOCKET_BUFFER_BYTES);
      channel.configureBlocking(false);
      selector = Selector.open();
      channel.register(selector, SelectionKey.OP_READ);
      InetSocketAddress bound = (InetSocketAddress) channel.getLocalAddress();
      return new NodeSocket(channel, selector,
          new Address(bound.getAddress().getHostAddress(), bound.getPort()));
    } catch (IOException | RuntimeException e) {
      channel.close();
      if (selector != null) {
        selector.close();
      }
      throw e;
    }
  }

  /** Closes the selector, then the socket; a failure to close is logged at debug and passed. */
  void close() {
    try {
      selector.close();
    } catch (IOException e) {
      LOG.log(System.Logger.Level.DEBUG, "closing the selector failed: " + e);
    }
    try {
      channel.close();
    } catch (IOException e) {
      LOG.log(System.Logger.Level.DEBUG, "closing the socket failed: " + e);
    }
  }
}
