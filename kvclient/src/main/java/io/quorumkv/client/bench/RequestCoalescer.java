package io.quorumkv.client.bench;

import io.quorumkv.common.wire.Bundle;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The requests one turn of the bench loop issues, held until the turn ends and then sent one
 * datagram per node: a {@link Bundle} when a node has several, the plain request when it has
 * one. With 32 requests in flight the answers arrive several at a time, and the requests that
 * replace them would otherwise cost a system call each, on this side and on the node's; a node
 * that has read a bundle from this socket bundles its answers to it as well. Off
 * ({@code kvclient bench --no-coalesce}) every request leaves the moment it is issued.
 */
final class RequestCoalescer {

  private final boolean enabled;
  /** Per node, the requests held this turn: as many nodes as the route uses, so a handful. */
  private final Map<InetSocketAddress, List<byte[]>> held = new LinkedHashMap<>();

  RequestCoalescer(boolean enabled) {
    this.enabled = enabled;
  }

  /** Sends {@code request} to {@code to}: now when off, at {@link #flush} when on. */
  void send(DatagramChannel channel, InetSocketAddress to, byte[] request) throws IOException {
    if (!enabled) {
      sendNow(channel, to, request);
      return;
    }
    held.computeIfAbsent(to, t -> new ArrayList<>()).add(request);
  }

  /** Sends everything held, one datagram per node (more when a bundle would grow too large). */
  void flush(DatagramChannel channel) throws IOException {
    for (Map.Entry<InetSocketAddress, List<byte[]>> e : held.entrySet()) {
      if (!e.getValue().isEmpty()) {
        for (byte[] datagram : Bundle.datagrams(e.getValue())) {
          sendNow(channel, e.getKey(), datagram);
        }
        e.getValue().clear();
      }
    }
  }

  private static void sendNow(DatagramChannel channel, InetSocketAddress to, byte[] datagram)
      throws IOException {
    // A full socket buffer drops the datagram (send returns 0); the attempt's timeout covers it.
    channel.send(ByteBuffer.wrap(datagram), to);
  }
}
