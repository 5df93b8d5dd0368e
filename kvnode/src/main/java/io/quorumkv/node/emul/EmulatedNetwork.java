package io.quorumkv.node.emul;

import io.quorumkv.common.wire.Address;
import io.quorumkv.common.wire.Codec;
import io.quorumkv.common.wire.Envelope;
import io.quorumkv.node.Counters;
import io.quorumkv.node.Node;
import io.quorumkv.node.NodeConfig;
import io.quorumkv.node.NodeEvent;
import io.quorumkv.node.net.Outbox;
import io.quorumkv.node.storage.MemoryStorage;
import io.quorumkv.node.storage.Storage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
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
 */
public final class EmulatedNetwork {

  /** Events one {@link #runUntil} call may process before the run is declared runaway. */
  public static final long DEFAULT_MAX_EVENTS_PER_RUN = 20_000_000L;
  /** Most node events recorded; further ones are counted in {@code events.overflow}. */
  public static final int MAX_RECORDED_EVENTS = 1_000_000;
  /** Most datagrams kept per client; further ones are counted in {@code client.overflow}. */
  public static final int MAX_CLIENT_INBOX = 100_000;

  private static final Codec CODEC = new Codec();

  /**
   * What outlives a crash: the seeds to rejoin through, the last generation used, and the last
   * life's storage (which only {@link #restartDurable} hands on).
   */
  private record Life(List<Address> seeds, long generation, Storage storage) {
  }

  private final long seed;
  private final NodeConfig config;
  private final SplittableRandom root;
  private final RandomGenerator faultRandom;
  private final Faults faults = new Faults();
  private final Trace trace;
  private final Counters stats = new Counters();
  private final EventQueue queue;
  private final TreeMap<Address, Host> live = new TreeMap<>();
  private final TreeMap<Address, Life> lives = new TreeMap<>();
  private final TreeMap<Address, Long> clockOffsets = new TreeMap<>();
  private final ClientInboxes clients = new ClientInboxes(CODEC, stats, MAX_CLIENT_INBOX);
  private final List<TimedEvent> events = new ArrayList<>();

  public EmulatedNetwork(long seed, NodeConfig config) {
    this(seed, config, Trace.DEFAULT_CAPACITY);
  }

  /** @param traceLines how many of the latest trace lines to keep readable */
  public EmulatedNetwork(long seed, NodeConfig config, int traceLines) {
    this.seed = seed;
    this.config = Objects.requireNonNull(config, "config");
    this.root = new SplittableRandom(seed);
    this.faultRandom = root.split();
    this.trace = new Trace(traceLines);
    this.queue = new EventQueue(seed, DEFAULT_MAX_EVENTS_PER_RUN);
  }

  /**
   * Creates the first life of a node on {@code self} and starts it now. Its generation is 1;
   * {@link #restart} gives later lives higher ones.
   */
  public Node addNode(Address self, List<Address> seeds) {
    Objects.requireNonNull(self, "self");
    if (lives.containsKey(self)) {
      throw new IllegalArgumentException(self + " already has a node; use restart()");
    }
    if (clients.isClient(self)) {
      throw new IllegalArgumentException(self + " is already used by a client");
    }
    return startLife(self, List.copyOf(seeds), 1, new MemoryStorage());
  }

  /**
   * Skews the clock of the nodes started on {@code address} from now on: each reads the network's
   * time plus {@code offsetMillis}, for its timers and its hybrid clock alike (a machine whose
   * clock is off). Set it before {@link #addNode}; a live node keeps the clock it started with,
   * so that no node sees its time jump.
   */
  public void setClockOffset(Address address, long offsetMillis) {
    clockOffsets.put(Objects.requireNonNull(address, "address"), offsetMillis);
  }

  /** Crash-stop: the node on {@code address} and all its state are gone. */
  public void crash(Address address) {
    Host host = live.remove(address);
    if (host == null) {
      throw new IllegalArgumentException(address + " is not a live node");
    }
    stats.increment("node.crashed");
    trace.add(now() + " crash " + address + " g" + host.node.generation());
  }

  /**
   * Starts a fresh node on {@code address} (crashing the current one first if it is live) with
   * the next generation and the seeds of its first life.
   */
  public Node restart(Address address) {
    return nextLife(address, false);
  }

  /**
   * Like {@link #restart}, but the new life keeps the storage object of the last one, as a node
   * with a durable engine comes back after a crash. Every write is durable at once here, which
   * is what a durable engine promises for every write it acknowledged (and it may keep some it
   * did not acknowledge).
   */
  public Node restartDurable(Address address) {
    return nextLife(address, true);
  }

  private Node nextLife(Address address, boolean durable) {
    Life life = lives.get(address);
    if (life == null) {
      throw new IllegalArgumentException(address + " never had a node; use addNode()");
    }
    if (live.containsKey(address)) {
      crash(address);
    }
    stats.increment("node.restarted");
    trace.add(now() + " restart " + address + " g" + (life.generation() + 1)
        + (durable ? " keeping " + life.storage().size() + " keys" : ""));
    return startLife(address, life.seeds(), life.generation() + 1,
        durable ? life.storage() : new MemoryStorage());
  }

  /** Lets the node on {@code address} leave gracefully, sends what it says, then removes it. */
  public void leave(Address address) {
    Host host = live.get(address);
    if (host == null) {
      throw new IllegalArgumentException(address + " is not a live node");
    }
    callNode(host, "leave", null, () -> host.node.leave(host.local(now())));
    live.remove(address);
    trace.add(now() + " left " + address + " g" + host.node.generation());
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
    if (!lives.containsKey(from)) {
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
    Host host = live.get(address);
    return host == null ? Optional.empty() : Optional.of(host.node);
  }

  /** The time as the live node on {@code address} reads it (see {@link #setClockOffset}). */
  public long nodeTime(Address address) {
    Host host = live.get(address);
    if (host == null) {
      throw new IllegalArgumentException(address + " is not a live node");
    }
    return host.local(now());
  }

  /** Addresses of live nodes, in address order. */
  public List<Address> liveAddresses() {
    return List.copyOf(live.keySet());
  }

  /** Every node event so far, stamped with simulated time, in the order logged. */
  public List<TimedEvent> events() {
    return Collections.unmodifiableList(events);
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
    if (lives.containsKey(client)) {
      throw new IllegalArgumentException(client + " is a node, not a client");
    }
    clients.handle(client, Objects.requireNonNull(handler, "handler"));
  }

  /** Returns and forgets what client {@code client} received so far. */
  public List<Received> drainReceived(Address client) {
    return clients.drain(client);
  }

  private Node startLife(Address self, List<Address> seeds, long generation, Storage storage) {
    Node node = new Node(config, self, generation, seeds, root.split(), this::record, storage);
    Host host = new Host(node, clockOffsets.getOrDefault(self, 0L));
    lives.put(self, new Life(seeds, generation, storage));
    live.put(self, host);
    trace.add(now() + " start " + self + " g" + generation);
    callNode(host, "start", null, () -> node.start(host.local(now())));
    return node;
  }

  private void record(NodeEvent event) {
    if (events.size() >= MAX_RECORDED_EVENTS) {
      stats.increment("events.overflow");
      return;
    }
    events.add(new TimedEvent(now(), event));
    trace.add(now() + " event " + event);
  }

  /** A datagram leaves {@code from} now: the faults decide whether, when and how often it lands. */
  private void transmit(Address from, Address to, byte[] bytes) {
    stats.increment("net.sent");
    String link = from + ">" + to + " " + bytes.length + "#"
        + Integer.toHexString(Arrays.hashCode(bytes));
    Faults.Fate fate = faults.decide(faultRandom);
    if (fate.lost()) {
      stats.increment("net.dropped.loss");
      trace.add(now() + " lose " + link);
      return;
    }
    trace.add(now() + " send " + link + " +" + fate.delayMillis());
    queue.schedule(now() + fate.delayMillis(), () -> deliver(from, to, bytes, link));
    if (fate.duplicated()) {
      stats.increment("net.duplicated");
      trace.add(now() + " dup " + link + " +" + fate.duplicateDelayMillis());
      queue.schedule(now() + fate.duplicateDelayMillis(), () -> deliver(from, to, bytes, link));
    }
  }

  private void deliver(Address from, Address to, byte[] bytes, String link) {
    if (faults.blocks(from, to)) {
      stats.increment("net.dropped.blocked");
      trace.add(now() + " block " + link);
      return;
    }
    Host host = live.get(to);
    if (host != null) {
      stats.increment("net.delivered");
      trace.add(now() + " deliver " + link);
      callNode(host, "onDatagram", from,
          () -> host.node.onDatagram(from, bytes, 0, bytes.length, host.local(now())));
      return;
    }
    if (clients.isClient(to)) {
      trace.add(now() + " client " + link);
      clients.deliver(now(), to, from, bytes);
      return;
    }
    String why = lives.containsKey(to) ? "dead" : "unknown";
    stats.increment("net.dropped." + why);
    trace.add(now() + " drop-" + why + " " + link);
  }

  /**
   * Calls into a node, then sends what it queued and schedules its next wake-up. Whatever the node
   * throws comes back with the seed and the time.
   */
  private void callNode(Host host, String operation, Address peer, Runnable call) {
    try {
      call.run();
    } catch (RuntimeException | AssertionError e) {
      throw new EmulationException(seed, now(), "node " + host.node.address() + " g"
          + host.node.generation() + " threw in " + operation
          + (peer == null ? "" : " from " + peer) + ": " + e, e);
    }
    afterCall(host);
  }

  /** Sends what the node queued and makes sure a wake-up is queued for its next timer. */
  private void afterCall(Host host) {
    Address self = host.node.address();
    for (Outbox.Datagram datagram : host.node.outbox().drain()) {
      transmit(self, datagram.to(), datagram.bytes());
    }
    long nextLocal = host.node.nextWakeup();
    long next = nextLocal == Long.MAX_VALUE ? Long.MAX_VALUE
        : nextLocal - host.clockOffsetMillis;
    if (next < host.queuedWakeup && live.get(self) == host) {
      long at = Math.max(next, now());
      host.queuedWakeup = at;
      queue.schedule(at, () -> wake(host, at));
    }
  }

  private void wake(Host host, long at) {
    if (live.get(host.node.address()) != host) {
      return; // a wake-up for a crashed life
    }
    if (host.queuedWakeup == at) {
      host.queuedWakeup = Long.MAX_VALUE;
    }
    if (host.node.nextWakeup() <= host.local(now())) {
      callNode(host, "onTick", null, () -> host.node.onTick(host.local(now())));
    } else {
      afterCall(host); // stale: the timer moved later, so only queue the new wake-up
    }
  }

  private String lastTraceLines(int n) {
    List<String> lines = trace.lastLines();
    return String.join(" | ", lines.subList(Math.max(0, lines.size() - n), lines.size()));
  }
}
