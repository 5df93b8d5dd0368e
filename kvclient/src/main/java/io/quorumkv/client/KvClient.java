package io.quorumkv.client;

import io.quorumkv.common.wire.Address;
import io.quorumkv.common.wire.Codec;
import io.quorumkv.common.wire.Decoded;
import io.quorumkv.common.wire.Envelope;
import io.quorumkv.common.wire.Limits;
import io.quorumkv.common.wire.Message;
import io.quorumkv.common.wire.OversizedMessageException;
import io.quorumkv.common.wire.StatusReply;
import io.quorumkv.common.wire.StatusRequest;
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
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Talks to QuorumKV nodes: sends one request datagram and waits for the answer that carries the
 * same request id. Each client owns one UDP socket bound to 127.0.0.1 on a free port; that
 * address is the envelope's sender, and nodes answer to the datagram's source address, which is
 * the same socket.
 *
 * <p>Theory of operation: {@link #request} asks the nodes of its list in turn, starting with the
 * one that answered last. Each node gets up to {@link ClientConfig#attemptsPerNode()} attempts of
 * {@link ClientConfig#attemptTimeoutMillis()} each, all with the same request id, so an answer to
 * an earlier attempt that arrives late is still accepted. While it asks one node the socket is
 * connected to that node: the kernel then drops datagrams from anyone else, and a closed port
 * reports itself at once (ICMP port unreachable), so a killed node costs no timeout. Datagrams
 * that do not decode or answer another request id are ignored and counted in
 * {@link #ignoredDatagrams()}. When every node has failed, a {@link NoNodeAnsweredException} says
 * what happened with each.
 *
 * <p>Request ids come from a counter that starts at a random value, so two clients that happen to
 * reuse a port do not mistake each other's late answers for their own. The client reads the real
 * clock and a random number on purpose: it is a driver at the edge, not part of the deterministic
 * node core.
 *
 * <p>Thread-safe: requests are serialized on the one socket.
 */
public final class KvClient implements AutoCloseable {

  /** Stateless and thread-safe, so shared by every client of the process. */
  private static final Codec CODEC = new Codec();

  /**
   * Most datagrams read per wake-up before the deadline is checked again, so a flood of stray
   * datagrams cannot keep the client from timing out.
   */
  private static final int MAX_DATAGRAMS_PER_WAKEUP = 64;

  /** Request ids stay below this, leaving room to count up without overflowing a long. */
  private static final long REQUEST_ID_CEILING = 1L << 62;

  private final List<Address> nodes;
  private final ClientConfig config;
  private final DatagramChannel channel;
  private final Selector selector;
  private final Address self;
  /** One byte more than a valid datagram, so an oversized one is seen as such, not truncated. */
  private final ByteBuffer receiveBuffer = ByteBuffer.allocate(Limits.MAX_DATAGRAM_BYTES + 1);
  private long nextRequestId = ThreadLocalRandom.current().nextLong(REQUEST_ID_CEILING);
  private int preferredNode;
  private long ignoredDatagrams;

  private KvClient(List<Address> nodes, ClientConfig config, DatagramChannel channel,
      Selector selector) throws IOException {
    this.nodes = nodes;
    this.config = config;
    this.channel = channel;
    this.selector = selector;
    InetSocketAddress local = (InetSocketAddress) channel.getLocalAddress();
    this.self = new Address(local.getAddress().getHostAddress(), local.getPort());
  }

  /**
   * Opens a client for {@code nodes} (asked in this order) with its own socket on 127.0.0.1.
   *
   * @throws IOException when the socket cannot be opened
   */
  public static KvClient open(List<Address> nodes, ClientConfig config) throws IOException {
    Objects.requireNonNull(config, "config");
    List<Address> copy = List.copyOf(nodes);
    if (copy.isEmpty()) {
      throw new IllegalArgumentException("a client needs at least one node");
    }
    DatagramChannel channel = DatagramChannel.open();
    Selector selector = null;
    try {
      channel.bind(new InetSocketAddress("127.0.0.1", 0));
      channel.configureBlocking(false);
      selector = Selector.open();
      channel.register(selector, SelectionKey.OP_READ);
      return new KvClient(copy, config, channel, selector);
    } catch (IOException | RuntimeException e) {
      if (selector != null) {
        selector.close();
      }
      channel.close();
      throw e;
    }
  }

  /** This client's own address: the sender of its envelopes and where nodes answer. */
  public Address address() {
    return self;
  }

  /** The nodes this client asks, in the configured order. */
  public List<Address> nodes() {
    return nodes;
  }

  public ClientConfig config() {
    return config;
  }

  /** Datagrams received and dropped because they did not decode or answered another request. */
  public synchronized long ignoredDatagrams() {
    return ignoredDatagrams;
  }

  /** Asks the nodes for their view of the cluster; the first node that answers replies. */
  public StatusReply status() throws KvClientException {
    return expect(request(new StatusRequest()), StatusReply.class);
  }

  /** Asks one node for its view of the cluster. */
  public StatusReply status(Address node) throws KvClientException {
    return expect(requestFrom(node, new StatusRequest()), StatusReply.class);
  }

  /**
   * Sends {@code message} to the nodes in turn, starting with the one that answered last, and
   * returns the first answer with its request id.
   */
  public synchronized Envelope request(Message message) throws KvClientException {
    long requestId = takeRequestId();
    byte[] datagram = encode(requestId, message);
    List<String> failures = new ArrayList<>();
    for (int i = 0; i < nodes.size(); i++) {
      int index = (preferredNode + i) % nodes.size();
      Envelope reply = askNode(nodes.get(index), requestId, datagram, failures);
      if (reply != null) {
        preferredNode = index;
        return reply;
      }
    }
    throw new NoNodeAnsweredException(failures);
  }

  /** Sends {@code message} to {@code node} only (which need not be in {@link #nodes()}). */
  public synchronized Envelope requestFrom(Address node, Message message)
      throws KvClientException {
    Objects.requireNonNull(node, "node");
    long requestId = takeRequestId();
    byte[] datagram = encode(requestId, message);
    List<String> failures = new ArrayList<>(1);
    Envelope reply = askNode(node, requestId, datagram, failures);
    if (reply == null) {
      throw new NoNodeAnsweredException(failures);
    }
    return reply;
  }

  /**
   * Returns the reply's message as {@code type}, or throws when the node answered with another
   * kind of message.
   */
  public static <T extends Message> T expect(Envelope reply, Class<T> type)
      throws UnexpectedReplyException {
    Message message = reply.message();
    if (!type.isInstance(message)) {
      throw new UnexpectedReplyException("node " + reply.sender() + " answered with "
          + message.getClass().getSimpleName() + " where " + type.getSimpleName()
          + " was expected");
    }
    return type.cast(message);
  }

  @Override
  public synchronized void close() throws IOException {
    try {
      selector.close();
    } finally {
      channel.close();
    }
  }

  private long takeRequestId() {
    if (!channel.isOpen()) {
      throw new IllegalStateException("client is closed");
    }
    long id = nextRequestId;
    nextRequestId = id + 1 >= REQUEST_ID_CEILING ? 0 : id + 1;
    return id;
  }

  private byte[] encode(long requestId, Message message) throws KvClientException {
    try {
      return CODEC.encode(Envelope.of(self, requestId, message));
    } catch (OversizedMessageException e) {
      throw new KvClientException("request too large: " + e.getMessage());
    }
  }

  /**
   * Asks one node; returns its answer, or null after adding to {@code failures} a short account of
   * why it did not answer.
   */
  private Envelope askNode(Address node, long requestId, byte[] datagram, List<String> failures) {
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
      for (int attempt = 1; attempt <= config.attemptsPerNode(); attempt++) {
        channel.write(ByteBuffer.wrap(datagram));
        Envelope reply = awaitReply(requestId, config.attemptTimeoutMillis());
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
    int attempts = config.attemptsPerNode();
    failures.add(node + " (" + attempts + (attempts == 1 ? " attempt of " : " attempts of ")
        + config.attemptTimeoutMillis() + " ms each)");
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
        Decoded decoded = CODEC.decode(receiveBuffer.array(), 0, receiveBuffer.limit());
        if (decoded instanceof Decoded.Ok ok && ok.envelope().requestId() == requestId) {
          return ok.envelope();
        }
        ignoredDatagrams++;
      }
    }
  }
}
