package io.quorumkv.client;

import io.quorumkv.common.time.ClockDriftException;
import io.quorumkv.common.time.HybridClock;
import io.quorumkv.common.wire.Address;
import io.quorumkv.common.wire.Envelope;
import io.quorumkv.common.wire.KvLimits;
import io.quorumkv.common.wire.KvOp;
import io.quorumkv.common.wire.KvReply;
import io.quorumkv.common.wire.KvRequest;
import io.quorumkv.common.wire.LocateReply;
import io.quorumkv.common.wire.LocateRequest;
import io.quorumkv.common.wire.Message;
import io.quorumkv.common.wire.OversizedMessageException;
import io.quorumkv.common.wire.StatusReply;
import io.quorumkv.common.wire.StatusRequest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Talks to QuorumKV nodes: sends one request datagram and waits for the answer that carries the
 * same request id. Each client owns one UDP socket bound to 127.0.0.1 on a free port; that
 * address is the envelope's sender, and nodes answer to the datagram's source address, which is
 * the same socket.
 *
 * <p>Theory of operation: a request asks the nodes of its list in turn, starting with the one
 * that answered last. Each node gets up to {@link ClientConfig#attemptsPerNode()} attempts, all
 * with the same request id, so an answer to an earlier attempt that arrives late is still
 * accepted, and a node that already handled the request answers it again without applying it
 * twice. Failing over to the next node keeps the id too, so a coordinator that sees the retry
 * after another one took the write does not duplicate it in its replicas' logs. Datagrams that do
 * not decode or answer another request id are ignored and counted in {@link #ignoredDatagrams()}.
 * When every node has failed, a {@link NoNodeAnsweredException} says what happened with each.
 *
 * <p>Writes are stamped here with a hybrid-clock timestamp, so that the write keeps one version
 * across attempts and nodes (a node that applied it once recognizes it), and one client's writes
 * are ordered as it made them.
 *
 * <p>Key-value operations return a {@link KvResult} for every answer of a coordinator, "not
 * found" and "unavailable" included: those are results, not errors. An attempt of a key-value
 * request waits {@link ClientConfig#attemptTimeoutFor} (by default the coordinator's deadline plus
 * a margin), since a coordinator answers only when its quorum is reached or its deadline passes.
 *
 * <p>Thread-safe: requests are serialized on the one socket.
 */
public final class KvClient implements AutoCloseable {

  private final List<Address> nodes;
  private final ClientConfig config;
  private final RequestSocket socket;
  /**
   * Stamps this client's writes, and follows every version it is told of, so its writes are
   * versioned in the order it makes them and after everything it has read.
   */
  private final HybridClock clock = new HybridClock();

  private KvClient(List<Address> nodes, ClientConfig config, RequestSocket socket) {
    this.nodes = nodes;
    this.config = config;
    this.socket = socket;
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
    return new KvClient(copy, config, RequestSocket.open());
  }

  /** This client's own address: the sender of its envelopes and where nodes answer. */
  public Address address() {
    return socket.self();
  }

  /** The nodes this client asks, in the configured order. */
  public List<Address> nodes() {
    return nodes;
  }

  public ClientConfig config() {
    return config;
  }

  /** The node the next request asks first: the one that answered last, at first the first one. */
  public synchronized Address firstToAsk() {
    return socket.firstToAsk(nodes);
  }

  /** Datagrams received and dropped because they did not decode or answered another request. */
  public synchronized long ignoredDatagrams() {
    return socket.ignoredDatagrams();
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
   * Asks the nodes which members hold {@code key}, in preference order (primary first), as the
   * first node that answers sees its ring.
   *
   * @throws IllegalArgumentException when the key is empty or longer than
   *     {@link KvLimits#MAX_KEY_BYTES}
   */
  public LocateReply locate(String key) throws KvClientException {
    String problem = KvLimits.problemWith(key, "");
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    return expect(request(new LocateRequest(key)), LocateReply.class);
  }

  /** Inserts {@code key}; the result is EXISTS where it already exists. */
  public KvResult create(String key, String value) throws KvClientException {
    return execute(KvOp.CREATE, key, value, config.kvOptions());
  }

  public KvResult create(String key, String value, KvOptions options) throws KvClientException {
    return execute(KvOp.CREATE, key, value, options);
  }

  /** Reads the newest value of {@code key}; the result is NOT_FOUND where it does not exist. */
  public KvResult read(String key) throws KvClientException {
    return execute(KvOp.READ, key, "", config.kvOptions());
  }

  public KvResult read(String key, KvOptions options) throws KvClientException {
    return execute(KvOp.READ, key, "", options);
  }

  /** Overwrites an existing {@code key}; the result is NOT_FOUND where it does not exist. */
  public KvResult update(String key, String value) throws KvClientException {
    return execute(KvOp.UPDATE, key, value, config.kvOptions());
  }

  public KvResult update(String key, String value, KvOptions options) throws KvClientException {
    return execute(KvOp.UPDATE, key, value, options);
  }

  /** Deletes an existing {@code key}; the result is NOT_FOUND where it does not exist. */
  public KvResult delete(String key) throws KvClientException {
    return execute(KvOp.DELETE, key, "", config.kvOptions());
  }

  public KvResult delete(String key, KvOptions options) throws KvClientException {
    return execute(KvOp.DELETE, key, "", options);
  }

  /** Inserts or overwrites {@code key}. */
  public KvResult put(String key, String value) throws KvClientException {
    return execute(KvOp.PUT, key, value, config.kvOptions());
  }

  public KvResult put(String key, String value, KvOptions options) throws KvClientException {
    return execute(KvOp.PUT, key, value, options);
  }

  /**
   * Runs one key-value operation ({@code value} is "" for read and delete). A request the
   * coordinator would refuse as invalid (empty or too large key, too large value, a value for read
   * or delete, a datagram too large once encoded) is not sent: the result says why, with
   * {@link KvResult#sent()} false.
   *
   * @throws NoNodeAnsweredException when no node answered any attempt
   * @throws UnexpectedReplyException when a node answered with something other than a KvReply
   */
  public synchronized KvResult execute(KvOp op, String key, String value, KvOptions options)
      throws KvClientException {
    Objects.requireNonNull(op, "op");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(options, "options");
    String problem = KvLimits.problemWith(key, value);
    if (problem == null && !op.carriesValue() && !value.isEmpty()) {
      problem = op.wireName() + " takes no value";
    }
    if (problem != null) {
      return KvResult.refused(problem);
    }
    long requestId = socket.takeRequestId();
    // Stamped once: every attempt and every node asked carries the same version of this write.
    long timestamp = op == KvOp.READ ? 0 : clock.now(System.currentTimeMillis());
    byte[] datagram;
    try {
      datagram = socket.encode(requestId, new KvRequest(op, key, value, options.consistency(),
          options.timeoutMillis(), timestamp));
    } catch (OversizedMessageException e) {
      return KvResult.refused("request too large once encoded (control characters count six "
          + "bytes each): " + e.getMessage());
    }
    Envelope reply = socket.ask(nodes, requestId, datagram, config.attemptTimeoutFor(options),
        config.attemptsPerNode());
    KvReply answer = expect(reply, KvReply.class);
    try {
      clock.observe(answer.version().timestamp(), System.currentTimeMillis());
    } catch (ClockDriftException e) {
      // A version from a node whose clock runs far ahead: not followed, as the nodes refuse it.
    }
    return KvResult.of(answer, socket.sendsOfLastAsk() > 1);
  }

  /**
   * Sends {@code message} to the nodes in turn, starting with the one that answered last, and
   * returns the first answer with its request id.
   */
  public synchronized Envelope request(Message message) throws KvClientException {
    long requestId = socket.takeRequestId();
    return socket.ask(nodes, requestId, encode(requestId, message), config.attemptTimeoutMillis(),
        config.attemptsPerNode());
  }

  /** Sends {@code message} to {@code node} only (which need not be in {@link #nodes()}). */
  public synchronized Envelope requestFrom(Address node, Message message)
      throws KvClientException {
    Objects.requireNonNull(node, "node");
    long requestId = socket.takeRequestId();
    List<String> failures = new ArrayList<>(1);
    Envelope reply = socket.askNode(node, requestId, encode(requestId, message),
        config.attemptTimeoutMillis(), config.attemptsPerNode(), failures);
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
    socket.close();
  }

  private byte[] encode(long requestId, Message message) throws KvClientException {
    try {
      return socket.encode(requestId, message);
    } catch (OversizedMessageException e) {
      throw new KvClientException("request too large: " + e.getMessage());
    }
  }
}
