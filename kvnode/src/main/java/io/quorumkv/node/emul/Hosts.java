package io.quorumkv.node.emul;

import io.quorumkv.common.wire.Address;
import io.quorumkv.node.Counters;
import io.quorumkv.node.EventSink;
import io.quorumkv.node.Node;
import io.quorumkv.node.NodeConfig;
import io.quorumkv.node.net.Outbox;
import io.quorumkv.node.storage.MemoryStorage;
import io.quorumkv.node.storage.Storage;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * The nodes of the emulated network through their lives, in address order: which address has a
 * live {@link Host}, what each address's last life leaves to the next, and the clock offsets new
 * lives start with. It drives every live node the same way: each call into a node is followed by
 * sending what the node queued onto the links and queueing a wake-up at its next timer. Each new
 * life takes the next random split from the network's root, so lives replay in creation order.
 */
final class Hosts {

  /** Where the datagrams a node queued go: the links, which apply the faults. */
  @FunctionalInterface
  interface Uplink {
    void transmit(Address from, Address to, byte[] bytes);
  }

  /**
   * What outlives a crash: the seeds to rejoin through, the last generation used, and the last
   * life's storage (which only {@link EmulatedNetwork#restartDurable} hands on).
   */
  private record Life(List<Address> seeds, long generation, Storage storage) {
  }

  private final long seed;
  private final NodeConfig config;
  private final SplittableRandom root;
  private final EventQueue queue;
  private final Trace trace;
  private final Counters stats;
  private final EventSink events;
  private final Uplink uplink;
  private final TreeMap<Address, Host> live = new TreeMap<>();
  private final TreeMap<Address, Life> lives = new TreeMap<>();
  private final TreeMap<Address, Long> clockOffsets = new TreeMap<>();

  Hosts(long seed, NodeConfig config, SplittableRandom root, EventQueue queue, Trace trace,
      Counters stats, EventSink events, Uplink uplink) {
    this.seed = seed;
    this.config = config;
    this.root = root;
    this.queue = queue;
    this.trace = trace;
    this.stats = stats;
    this.events = events;
    this.uplink = uplink;
  }

  /** True when {@code address} ever had a node, live or not. */
  boolean hadNode(Address address) {
    return lives.containsKey(address);
  }

  /** The live host on {@code address}, or null. */
  Host live(Address address) {
    return live.get(address);
  }

  /** Starts the first life, generation 1, of a node on {@code self}. */
  Node firstLife(Address self, List<Address> seeds) {
    return startLife(self, seeds, 1, new MemoryStorage());
  }

  /** Lives started on {@code address} from now on read the network's time plus the offset. */
  void setClockOffset(Address address, long offsetMillis) {
    clockOffsets.put(address, offsetMillis);
  }

  /** Crash-stop: the node on {@code address} and all its state are gone. */
  void crash(Address address) {
    Host host = live.remove(address);
    if (host == null) {
      throw new IllegalArgumentException(address + " is not a live node");
    }
    stats.increment("node.crashed");
    trace.add(now() + " crash " + address + " g" + host.node.generation());
  }

  /**
   * Starts the next life on {@code address}, crashing the live one first, with the seeds of the
   * first life and, when {@code durable}, the storage of the last.
   */
  Node nextLife(Address address, boolean durable) {
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
  void leave(Address address) {
    Host host = live.get(address);
    if (host == null) {
      throw new IllegalArgumentException(address + " is not a live node");
    }
    callNode(host, "leave", null, () -> host.node.leave(host.local(now())));
    live.remove(address);
    trace.add(now() + " left " + address + " g" + host.node.generation());
  }

  /** Hands a datagram that landed to the live node of {@code host}. */
  void deliver(Host host, Address from, byte[] bytes) {
    callNode(host, "onDatagram", from,
        () -> host.node.onDatagram(from, bytes, 0, bytes.length, host.local(now())));
  }

  Optional<Node> node(Address address) {
    Host host = live.get(address);
    return host == null ? Optional.empty() : Optional.of(host.node);
  }

  /** The time as the live node on {@code address} reads it. */
  long nodeTime(Address address) {
    Host host = live.get(address);
    if (host == null) {
      throw new IllegalArgumentException(address + " is not a live node");
    }
    return host.local(now());
  }

  List<Address> liveAddresses() {
    return List.copyOf(live.keySet());
  }

  private Node startLife(Address self, List<Address> seeds, long generation, Storage storage) {
    Node node = new Node(config, self, generation, seeds, root.split(), events, storage);
    Host host = new Host(node, clockOffsets.getOrDefault(self, 0L));
    lives.put(self, new Life(seeds, generation, storage));
    live.put(self, host);
    trace.add(now() + " start " + self + " g" + generation);
    callNode(host, "start", null, () -> node.start(host.local(now())));
    return node;
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
      uplink.transmit(self, datagram.to(), datagram.bytes());
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

  private long now() {
    return queue.now();
  }
}
