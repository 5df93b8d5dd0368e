package io.quorumkv.node.emul;

import io.quorumkv.common.wire.Address;
import io.quorumkv.common.wire.Codec;
import io.quorumkv.common.wire.Envelope;
import io.quorumkv.node.Counters;
import io.quorumkv.node.Node;
import io.quorumkv.node.NodeConfig;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;
import java.util.random.RandomGenerator;

/**
 * Many {@link Node}s in one process on simulated time: the seed's EmulNet, grown up after
 * FoundationDB's Sim2 and TigerBeetle's VOPR. A run is a function of its seed: a root
 * {@link SplittableRandom} derives one random for the network's fault decisions, then one per
 * node in creation order (and one per {@link #newRandom()} call, in call order); events run in
 * order of simulated time, then of scheduling, so the same seed and the same calls replay bit for
 * bit.
 *
 * <p>Theory of operation. A priority queue holds three kinds of events: datagram deliveries,
 * node wake-ups and harness actions ({@link #at}). After every call into a node the network drains
 * the node's outbox (each datagram goes through {@link Faults}, which may lose, delay or duplicate
 * it) and schedules a wake-up at {@link Node#nextWakeup()}. A wake-up calls {@link Node#onTick}
 * only when the node says it is due, so stale wake-ups are harmless. Deliveries carry the encoded
 * bytes, so the codec is exercised exactly as on a socket. A crashed node is gone with all its
 * state; what is in flight to it is dropped on arrival. Addresses that are not nodes act as
 * clients: they inject datagrams with {@link #send} and collect what nodes send them.
 *
 * <p>Every run is bounded ({@link #setMaxEventsPerRun}); anything a node throws comes back as an
 * {@link EmulationException} naming the seed and the simulated time.
 *
 * <p>This class is the harness's face; the parts live beside it: {@link EventQueue} keeps the
 * time and the events, {@link Hosts} the nodes' lives and how each is driven, {@link Links} what
 * happens to a datagram between two addresses, {@link ClientInboxes} what clients receive, and
 * {@link EventLog} the nodes' events.
 */
public final class EmulatedNetwork {

  /** Events one {@link #runUntil} call may process before the run is declared runaway. */
  public static final long DEFAULT_MAX_EVENTS_PER_RUN = 20_000_000L;
  /** Most node events recorded; further ones are counted in {@code events.overflow}. */
  public static final int MAX_RECORDED_EVENTS = 1_000_000;
  /** Most datagrams kept per client; further ones are counted in {@code client.overflow}. */
  public static final int MAX_CLIENT_INBOX = 100_000;

  private static final Codec CODEC = new Codec();

  private final long seed;
  private final NodeConfig config;
  private final SplittableRandom root;
  private final Faults faults = new Faults();
  private final Trace trace;
  private final Counters stats = new Counters();
  private final EventQueue queue;
  private final ClientInboxes clients = new ClientInboxes(CODEC, stats, MAX_CLIENT_INBOX);
  private final EventLog events;
  private final Hosts hosts;
  private final Links links;

  public EmulatedNetwork(long seed, NodeConfig config) {
    this(seed, config, Trace.DEFAULT_CAPACITY);
  }

  /** @param traceLines how many of the latest trace lines to keep readable */
  public EmulatedNetwork(long seed, NodeConfig config, int traceLines) {
    this.seed = seed;
    this.config = Objects.requireNonNull(config, "config");
    this.root = new SplittableRandom(seed);
    RandomGenerator faultRandom = root.split();
    this.trace = new Trace(traceLines);
    this.queue = new EventQueue(seed, DEFAULT_MAX_EVENTS_PER_RUN);
    this.events = new EventLog(queue, trace, stats);
    this.hosts = new Hosts(seed, config, root, queue, trace, stats, events::record,
        this::transmit);
    this.links = new Links(faults, faultRandom, queue, trace, stats, clients, hosts);
  }

  /**
   * Creates the first life of a node on {@code self} and starts it now. Its generation is 1;
   * {@link #restart} gives later lives higher ones.
   */
  public Node addNode(Address self, List<Address> seeds) {
    Objects.requireNonNull(self, "self");
    if (hosts.hadNode(self)) {
      throw new IllegalArgumentException(self + " already has a node; use restart()");
    }
    if (clients.isClient(self)) {
      throw new IllegalArgumentException(self + " is already used by a client");
    }
    return hosts.firstLife(self, List.copyOf(seeds));
  }

  /**
   * Skews the clock of the nodes started on {@code address} from now on: each reads the network's
   * time plus {@code offsetMillis}, for its timers and its hybrid clock alike (a machine whose
   * clock is off). Set it before {@link #addNode}; a live node keeps the clock it started with,
   * so that no node sees its time jump.
   */
  public void setClockOffset(Address address, long offsetMillis) {
    hosts.setClockOffset(Objects.requireNonNull(address, "address"), offsetMillis);
  }

  /** Crash-stop: the node on {@code address} and all its state are gone. */
  public void crash(Address address) {
    hosts.crash(address);
  }

  /**
   * Starts a fresh node on {@code address} (crashing the current one first if it is live) with
   * the next generation and the seeds of its first life.
   */
  public Node restart(Address address) {
    return hosts.nextLife(address, false);
  }

  /**
   * Like {@link #restart}, but the new life keeps the storage object of the last one, as a node
   * with a durable engine comes back after a crash. Every write is durable at once here, which
   * is what a durable engine promises for every write it acknowledged (and it may keep some it
   * did not acknowledge).
   */
  public Node restartDurable(Address address) {
    return hosts.nextLife(address, true);
  }

  /** Lets the node on {@code address} leave gracefully, sends what it says, then removes it. */
  public void leave(Address address) {
    hosts.leave(address);
  }

  /**
   * Injects a datagram from {@code from} to {@code to}, subject to the faults like any other. A
   * {@code from} that is not a node's address becomes a client whose received datagrams are kept
   * ({@link #receivedBy}); a node's address impersonates that node, which tests of the network
   * itself use to drive node-to-node links.
   */
  public void send(Address from, Address to, Envelope envelope) {
    sendRaw(from, to, CODEC.encode(envelope));
  }

  /** Injects raw bytes (possibly malformed, to test how nodes reject bad input). */
  public void sendRaw(Address from, Address to, byte[] bytes) {
    if (!hosts.hadNode(from)) {
      clients.register(from);
    }
    transmit(from, to, bytes.clone());
  }

  /** Runs {@code action} at simulated time {@code timeMillis}, in order with everything else. */
  public void at(long timeMillis, Runnable action) {
    queue.schedule(timeMillis, Objects.requireNonNull(action, "action"));
  }

  /** Processes every event due at or before {@code untilMillis}, then sets the clock to it. */
  public void runUntil(long untilMillis) {
    queue.runUntil(untilMillis, () -> lastTraceLines(5));
  }

  /**
   * Checks {@code check} after every event from now on (a safety property: "no node removes a
   * member that is alive", "at most one coordinator outcome per request"). A check fails by
   * throwing; the run then stops with the seed, the time and the invariant's name.
   */
  public void addInvariant(String name, Runnable check) {
    queue.addInvariant(Objects.requireNonNull(name, "name"), Objects.requireNonNull(check, "check"));
  }

  /** Runs for {@code millis} of simulated time. */
  public void runFor(long millis) {
    runUntil(now() + millis);
  }

  /**
   * Runs in steps of {@code stepMillis} until {@code condition} holds or the clock passes
   * {@code deadlineMillis}; returns whether it held. Bounded by the deadline.
   */
  public boolean runUntil(BooleanSupplier condition, long deadlineMillis, long stepMillis) {
    if (stepMillis <= 0) {
      throw new IllegalArgumentException("stepMillis must be > 0");
    }
    while (!condition.getAsBoolean()) {
      if (now() >= deadlineMillis) {
        return false;
      }
      runUntil(Math.min(deadlineMillis, now() + stepMillis));
    }
    return true;
  }

  /** A fresh random derived from the root, for harness choices (victims, keys) in a fixed order. */
  public RandomGenerator newRandom() {
    return root.split();
  }

  /** Caps the events one run call may process; a runaway run then fails with its seed. */
  public void setMaxEventsPerRun(long max) {
    queue.setMaxEventsPerRun(max);
  }

  public long now() {
    return queue.now();
  }

  public long seed() {
    return seed;
  }

  public NodeConfig config() {
    return config;
  }

  /** The fault settings, changeable at any time. */
  public Faults faults() {
    return faults;
  }

  public Trace trace() {
    return trace;
  }

  /** Network counters: datagrams sent, delivered, lost, blocked, to dead nodes, duplicated... */
  public Map<String, Long> stats() {
    return stats.snapshot();
  }

  /** The live node on {@code address}, or empty when there is none (never added, crashed, left). */
  public Optional<Node> node(Address address) {
    return hosts.node(address);
  }

  /** The time as the live node on {@code address} reads it (see {@link #setClockOffset}). */
  public long nodeTime(Address address) {
    return hosts.nodeTime(address);
  }

  /** Addresses of live nodes, in address order. */
  public List<Address> liveAddresses() {
    return hosts.liveAddresses();
  }

  /** Every node event so far, stamped with simulated time, in the order logged. */
  public List<TimedEvent> events() {
    return events.events();
  }

  /** What client {@code client} received so far, in arrival order. */
  public List<Received> receivedBy(Address client) {
    return clients.received(client);
  }

  /**
   * Hands every datagram {@code client} receives from now on to {@code handler} as it arrives,
   * instead of keeping it ({@link #receivedBy} then stays empty). The handler may send and
   * schedule; it runs in order with everything else.
   */
  public void onReceive(Address client, java.util.function.Consumer<Received> handler) {
    if (hosts.hadNode(client)) {
      throw new IllegalArgumentException(client + " is a node, not a client");
    }
    clients.handle(client, Objects.requireNonNull(handler, "handler"));
  }

  /** Returns and forgets what client {@code client} received so far. */
  public List<Received> drainReceived(Address client) {
    return clients.drain(client);
  }

  /** A datagram leaves {@code from} now, onto the links (the nodes' outboxes come here too). */
  private void transmit(Address from, Address to, byte[] bytes) {
    links.transmit(from, to, bytes);
  }

  private String lastTraceLines(int n) {
    List<String> lines = trace.lastLines();
    return String.join(" | ", lines.subList(Math.max(0, lines.size() - n), lines.size()));
  }
}
