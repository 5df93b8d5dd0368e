package io.quorumkv.node;

import io.quorumkv.common.wire.Address;
import io.quorumkv.common.wire.Bundle;
import io.quorumkv.common.wire.Codec;
import io.quorumkv.common.wire.Decoded;
import io.quorumkv.common.wire.Envelope;
import io.quorumkv.common.wire.Limits;
import io.quorumkv.common.wire.MemberState;
import io.quorumkv.common.wire.MemberStatus;
import io.quorumkv.common.wire.Message;
import io.quorumkv.common.wire.OversizedMessageException;
import io.quorumkv.common.wire.StatusReply;
import io.quorumkv.common.wire.StatusRequest;
import io.quorumkv.node.kv.KvService;
import io.quorumkv.node.membership.Swim;
import io.quorumkv.node.net.Outbox;
import io.quorumkv.node.storage.MemoryStorage;
import io.quorumkv.node.storage.Storage;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * One QuorumKV node as a sans-IO state machine. It never reads a clock, a socket or an unseeded
 * random: a driver hands it datagrams and the time ({@link #onDatagram}, {@link #onTick}), drains
 * the {@link #outbox()} after each call, and calls {@link #onTick} again at {@link #nextWakeup()}.
 * Two drivers run it: {@code UdpEventLoop} (real sockets, one thread) and {@code EmulatedNetwork}
 * (many nodes, simulated time).
 *
 * <p>Not thread-safe: exactly one thread calls into a node.
 */
public final class Node {

  /** Shared by all nodes: the codec is stateless and thread-safe. */
  private static final Codec CODEC = new Codec();


  private final NodeConfig config;
  private final Address self;
  private final long generation;
  private final Counters counters = new Counters();
  private final Counters.Counter bundlesReceived = counters.counter("wire.bundles");
  private final Counters.Counter received = counters.counter("wire.received");
  private final Outbox outbox;
  private final List<Address> seeds;
  private final RandomGenerator random;
  private final EventSink events;
  private final Storage storage;
  /** Null until {@link #start}: membership needs the start time. */
  private Swim swim;
  /** Null until {@link #start}, like {@link #swim}. */
  private KvService kv;
  /** The membership view version the key-value store last saw. */
  private long kvViewVersion = -1;

  /**
   * @param generation this process's life on {@code self}: strictly greater than any previous
   *     life's, so stale gossip about an earlier life is ignored (a real driver uses its start
   *     time in epoch milliseconds, the emulator a restart counter)
   * @param seeds addresses to join through; any one alive is enough ({@code self} may be among them)
   * @param random this node's own seeded source of randomness
   * @param events where membership events are recorded
   */
  public Node(NodeConfig config, Address self, long generation, List<Address> seeds,
      RandomGenerator random, EventSink events) {
    this(config, self, generation, seeds, random, events, new MemoryStorage());
  }

  /**
   * A node that keeps its records in {@code storage}: a durable engine that may already hold
   * records from an earlier life on {@code self}, which the node serves from the start.
   */
  public Node(NodeConfig config, Address self, long generation, List<Address> seeds,
      RandomGenerator random, EventSink events, Storage storage) {
    this.storage = Objects.requireNonNull(storage, "storage");
    this.config = Objects.requireNonNull(config, "config");
    this.self = Objects.requireNonNull(self, "self");
    this.generation = generation;
    this.seeds = List.copyOf(seeds);
    this.random = Objects.requireNonNull(random, "random");
    this.events = Objects.requireNonNull(events, "events");
    this.outbox = new Outbox(CODEC, counters, config.outboxCapacity());
  }

  /**
   * Builds the codec's per-type machinery now (see {@link CodecWarmup}) rather than on the first
   * datagrams after joining; drivers call it once before a node binds. Returns the number of
   * message types that round-tripped.
   */
  public static int warmUp() {
    return CodecWarmup.run(CODEC);
  }

  /** Starts the node at {@code nowMillis}: records its own join and begins joining the cluster. */
  public void start(long nowMillis) {
    if (swim != null) {
      throw new IllegalStateException("node " + self + " already started");
    }
    swim = new Swim(config, self, generation, seeds, random, outbox, counters, events, nowMillis);
    // The store draws from a random of its own, so its choices do not shift membership's.
    kv = new KvService(config.kv(), self, storage, outbox, counters, events,
        this::fits, new SplittableRandom(random.nextLong()), swim::synced, nowMillis);
    syncMembership(nowMillis);
  }

  /**
   * A datagram arrived from {@code from}: one message, or a {@link Bundle} of several, each
   * handled as if it had come alone. Bad datagrams and broken bundles are counted and dropped.
   */
  public void onDatagram(Address from, byte[] buffer, int offset, int length, long nowMillis) {
    if (Bundle.isBundle(buffer, offset, length)) {
      int parts = Bundle.forEachPart(buffer, offset, length,
          (b, o, n) -> onPart(from, b, o, n, nowMillis));
      if (parts < 0) {
        counters.increment("wire.rejected.bad-bundle");
      } else {
        bundlesReceived.increment();
        outbox.heardBundleFrom(from);
      }
      return;
    }
    onPart(from, buffer, offset, length, nowMillis);
  }

  private void onPart(Address from, byte[] buffer, int offset, int length, long nowMillis) {
    Decoded decoded = CODEC.decode(buffer, offset, length);
    if (decoded instanceof Decoded.Ok ok) {
      onMessage(from, ok.envelope(), nowMillis);
    } else if (decoded instanceof Decoded.Rejected rejected) {
      counters.increment(rejected.reason().counterName());
    }
  }

  /** A decoded message arrived from {@code from} (the datagram's source address). */
  public void onMessage(Address from, Envelope envelope, long nowMillis) {
    received.increment();
    Message message = envelope.message();
    if (swim == null) {
      counters.increment("wire.ignored.not-started");
    } else if (message instanceof StatusRequest) {
      outbox.send(from, Envelope.of(self, envelope.requestId(), statusReply(nowMillis)));
    } else if (swim.onMessage(from, envelope, nowMillis)) {
      syncMembership(nowMillis);
    } else if (!kv.onMessage(from, envelope, nowMillis)) {
      counters.increment("wire.ignored");
    }
  }

  /** Time passed: runs whatever timers are due at {@code nowMillis}. */
  public void onTick(long nowMillis) {
    if (swim != null) {
      swim.onTick(nowMillis);
      syncMembership(nowMillis);
      kv.onTick(nowMillis);
    }
  }

  /** Leaves the cluster gracefully: tells members this node is leaving. The driver then stops. */
  public void leave(long nowMillis) {
    if (swim != null) {
      swim.leave(nowMillis);
    }
  }

  /** The absolute time, in the driver's milliseconds, at which {@link #onTick} must next run. */
  public long nextWakeup() {
    return swim == null ? Long.MAX_VALUE : Math.min(swim.nextWakeup(), kv.nextWakeup());
  }

  /**
   * True when the storage holds writes that are not yet durable (group commit): the driver must
   * then hold everything in the outbox until it has called {@link #syncStorage}, since what the
   * node queued may acknowledge those writes.
   */
  public boolean hasUnsyncedWrites() {
    return storage.hasUnsyncedWrites();
  }

  /** Makes the storage's writes durable; the driver calls it before it sends what is held. */
  public void syncStorage() {
    storage.sync();
  }

  /** Datagrams waiting to be sent; drain after every call. */
  public Outbox outbox() {
    return outbox;
  }

  /** This node's counters (read-only use outside the loop thread is not safe). */
  public Counters counters() {
    return counters;
  }

  public Address address() {
    return self;
  }

  public long generation() {
    return generation;
  }

  public NodeConfig config() {
    return config;
  }

  /** The member list, this node included, in address order. */
  public List<MemberStatus> members(long nowMillis) {
    if (swim == null) {
      return List.of(new MemberStatus(self, MemberState.ALIVE, generation, 0, -1));
    }
    return swim.status(nowMillis);
  }

  /** The key's replicas by this node's ring, primary first. */
  public List<Address> replicasOf(String key) {
    return kv == null ? List.of() : kv.replicasOf(key);
  }

  /** Whether another member's whole member list reached this node (it coordinates only then). */
  public boolean memberListSynced() {
    return swim != null && swim.synced();
  }

  /** The key-value store, for inspection by tests and invariants; null before start. */
  public KvService kv() {
    return kv;
  }

  /** Hands membership changes to the key-value store, which rebuilds its ring. */
  private void syncMembership(long nowMillis) {
    long version = swim.viewVersion();
    if (version != kvViewVersion) {
      kvViewVersion = version;
      kv.onMembership(swim.clusterView(), nowMillis);
    }
  }

  /** Addresses of the members in the cluster (alive or suspect), self included, in order. */
  public List<Address> clusterMembers() {
    return swim == null ? List.of(self) : swim.clusterMembers();
  }

  /** The status reply, with as many member rows as fit in one datagram. */
  private StatusReply statusReply(long nowMillis) {
    List<MemberStatus> rows = members(nowMillis);
    boolean truncated = rows.size() > Limits.MAX_MEMBERS_PER_MESSAGE;
    // Counters, and the gauges (keys and bytes stored, hints pending) beside them.
    Map<String, Long> stats = counters.snapshot();
    stats.putAll(storage.figures());
    if (kv != null) {
      stats.putAll(kv.figures(nowMillis));
    }
    if (truncated) {
      rows = rows.subList(0, Limits.MAX_MEMBERS_PER_MESSAGE);
    }
    while (true) {
      StatusReply reply = new StatusReply(self, rows, truncated, stats);
      if (rows.isEmpty() || fits(reply)) {
        return reply;
      }
      rows = rows.subList(0, rows.size() / 2);
      truncated = true;
    }
  }

  /** Whether {@code message} encodes within the datagram limit, with the longest request id. */
  private boolean fits(Message message) {
    try {
      CODEC.encode(Envelope.of(self, Long.MAX_VALUE, message));
      return true;
    } catch (OversizedMessageException e) {
      return false;
    }
  }
}
