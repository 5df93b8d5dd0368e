package io.quorumkv.client;

import io.quorumkv.common.wire.Address;
import io.quorumkv.common.wire.Bundle;
import io.quorumkv.common.wire.Codec;
import io.quorumkv.common.wire.Decoded;
import io.quorumkv.common.wire.Envelope;
import io.quorumkv.common.wire.Limits;
import io.quorumkv.common.wire.Message;
import io.quorumkv.common.wire.OversizedMessageException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The UDP side of a {@link KvClient}: one socket bound to 127.0.0.1 on a free port, the request id
 * counter, and the ask-each-node-in-turn loop. Not thread-safe; {@link KvClient} serializes calls.
 *
 * <p>One request keeps one request id through all its attempts, on one node and on every node it
 * fails over to. Nodes remember (client address, request id) pairs they answered or are working
 * on, so a repeated request is answered once and a write is never applied twice; it also lets a
 * late answer to an earlier attempt count.
 *
 * <p>While it asks one node the socket is connected to that node: the kernel then drops datagrams
 * from anyone else, and a closed port reports itself at once (ICMP port unreachable), so a killed
 * node costs no timeout.
 *
 * <p>Request ids come from a counter that starts at a random value, so two clients that happen to
 * reuse a port do not mistake each other's late answers for their own. This class reads the real
 * clock and a random number on purpose: it is a driver at the edge, not part of the deterministic
 * node core.
 */
final class RequestSocket implements AutoCloseable {

  /** Stateless and thread-safe, so shared by every client of the process. */
  private static final Codec CODEC = new Codec();

  /**
   * Most datagrams read per wake-up before the deadline is checked again, so a flood of stray
   * datagrams cannot keep the client from timing out.
   */
  private static final int MAX_DATAGRAMS_PER_WAKEUP = 64;

  /** Request ids stay below this, leaving room to count up without overflowing a long. */
  private static final long REQUEST_ID_CEILING = 1L << 62;

  private final DatagramChannel channel;
  private final Selector selector;
  private final Address self;
  /** One byte more than a valid datagram, so an oversized one is seen as such, not truncated. */
  private final ByteBuffer receiveBuffer = ByteBuffer.allocate(Limits.MAX_DATAGRAM_BYTES + 1);
  private long nextRequestId = ThreadLocalRandom.current().nextLong(REQUEST_ID_CEILING);
  private int preferredNode;
  private long ignoredDatagrams;
  /** Datagrams sent by the current or last {@link #ask}. */
  private int sends;

  private RequestSocket(DatagramChannel channel, Selector selector) throws IOException {
    this.channel = channel;
    this.selector = selector;
    InetSocketAddress local = (InetSocketAddress) channel.getLocalAddress();
    this.self = new Address(local.getAddress().getHostAddress(), local.getPort());
  }

  static RequestSocket open() throws IOException {
    DatagramChannel channel = DatagramChannel.open();
    Selector selector = null;
    try {
      channel.bind(new InetSocketAddress("127.0.0.1", 0));
      channel.configureBlocking(false);
      selector = Selector.open();
      channel.register(selector, SelectionKey.OP_READ);
      return new RequestSocket(channel, selector);
    } catch (IOException | RuntimeException e) {
      if (selector != null) {
        selector.close();
      }
      channel.close();
      throw e;
    }
  }

  Address self() {
    return self;
  }

  long ignoredDatagrams() {
    return ignoredDatagrams;
  }

  /** The node of {@code nodes} that {@link #ask} tries first. */
  Address firstToAsk(List<Address> nodes) {
    return nodes.get(preferredNode % nodes.size());
  }

  long takeRequestId() {
    if (!channel.isOpen()) {
      throw new IllegalStateException("client is closed");
    }
    long id = nextRequestId;
    nextRequestId = id + 1 >= REQUEST_ID_CEILING ? 0 : id + 1;
    return id;
  }

  /** How many times the last {@link #ask} sent its datagram, over all nodes. */
  int sendsOfLastAsk() {
    return sends;
  }

  /** The datagram of {@code message} under {@code requestId}, from this socket's address. */
  byte[] encode(long requestId, Message message) throws OversizedMessageException {
    return CODEC.encode(Envelope.of(self, requestId, message));
  }

  /**
   * Sends {@code datagram} to {@code nodes} in turn, starting with the one that answered last,
   * and returns the first answer that carries {@code requestId}.
   */
  Envelope ask(List<Address> nodes, long requestId, byte[] datagram, long attemptTimeoutMillis,
      int attempts) throws NoNodeAnsweredException {
    sends = 0;
    List<String> failures = new ArrayList<>();
    for (int i = 0; i < nodes.size(); i++) {
      int index = (preferredNode + i) % nodes.size();
      Envelope reply = askNode(nodes.get(index), requestId, datagram, attemptTimeoutMillis,
          attempts, failures);
      if (reply != null) {
        preferredNode = index;
        return reply;
      }
    }
    throw new NoNodeAnsweredException(failures);
  }

  /**
   * Asks one node; returns its answer, or null after adding to {@code failures} a short account of
   * why it did not answer.
   */
  Envelope askNode(Address node, long requestId, byte[] datagram, long attemptTimeoutMillis,
      int attempts, List<String> failures) {
    InetSocketAddress target = new InetSocketAddress(node.host(), node.port());
    if (target.isUnresolved()) {
      failures.add(node + " (unknown host)");
      return null;
    }
    try {
      if (channel.isConnected()) {
        channel.disconnect();
      }
      channel.connect(target);
      for (int attempt = 1; attempt <= attempts; attempt++) {
        channel.write(ByteBuffer.wrap(datagram));
        sends++;
        Envelope reply = awaitReply(requestId, attemptTimeoutMillis);
        if (reply != null) {
          return reply;
        }
      }
    } catch (PortUnreachableException e) {
      failures.add(node + " (port unreachable: nothing listens there)");
      return null;
    } catch (IOException e) {
      failures.add(node + " (" + e.getMessage() + ")");
      return null;
    }
    failures.add(node + " (" + attempts + (attempts == 1 ? " attempt of " : " attempts of ")
        + attemptTimeoutMillis + " ms each)");
    return null;
  }

  /** Waits up to {@code timeoutMillis} for the answer to {@code requestId}; null if none came. */
  private Envelope awaitReply(long requestId, long timeoutMillis) throws IOException {
    long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
    while (true) {
      long remainingNanos = deadline - System.nanoTime();
      if (remainingNanos <= 0) {
        return null;
      }
      // Round up so that a sub-millisecond remainder waits instead of spinning; 0 would block.
      selector.select(Math.max(1, (remainingNanos + 999_999) / 1_000_000));
      selector.selectedKeys().clear();
      for (int i = 0; i < MAX_DATAGRAMS_PER_WAKEUP; i++) {
        receiveBuffer.clear();
        SocketAddress source = channel.receive(receiveBuffer);
        if (source == null) {
          break;
        }
        receiveBuffer.flip();
        Envelope answer = answerIn(receiveBuffer.array(), receiveBuffer.limit(), requestId);
        if (answer != null) {
          return answer;
        }
        ignoredDatagrams++;
      }
    }
  }

  /**
   * The answer to {@code requestId} in a datagram, or null: the datagram itself, or a part of it
   * if it is a {@link Bundle} (a node bundles its answers to an address that has sent it
   * bundles; this socket sends none, but its port may have been a bench's a moment ago).
   */
  private static Envelope answerIn(byte[] bytes, int length, long requestId) {
    if (!Bundle.isBundle(bytes, 0, length)) {
      return answerOf(bytes, 0, length, requestId);
    }
    Envelope[] found = new Envelope[1];
    Bundle.forEachPart(bytes, 0, length, (b, o, n) -> {
      if (found[0] == null) {
        found[0] = answerOf(b, o, n, requestId);
      }
    });
    return found[0];
  }

  private static Envelope answerOf(byte[] bytes, int offset, int length, long requestId) {
    Decoded decoded = CODEC.decode(bytes, offset, length);
    return decoded instanceof Decoded.Ok ok && ok.envelope().requestId() == requestId
        ? ok.envelope() : null;
  }

  @Override
  public void close() throws IOException {
    try {
      selector.close();
    } finally {
      channel.close();
    }
  }
}
