package io.quorumkv.node.kv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorumkv.common.wire.Address;
import io.quorumkv.common.wire.Consistency;
import io.quorumkv.common.wire.Envelope;
import io.quorumkv.common.wire.KeyRecord;
import io.quorumkv.common.wire.KvOp;
import io.quorumkv.common.wire.KvReply;
import io.quorumkv.common.wire.KvRequest;
import io.quorumkv.common.wire.KvStatus;
import io.quorumkv.common.wire.MemberState;
import io.quorumkv.common.wire.MemberStatus;
import io.quorumkv.node.Node;
import io.quorumkv.node.NodeConfig;
import io.quorumkv.node.NodeEvent;
import io.quorumkv.node.emul.EmulatedNetwork;
import io.quorumkv.node.emul.Received;
import io.quorumkv.node.emul.TimedEvent;
import io.quorumkv.node.storage.Storage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * A test harness: an emulated cluster of nodes 127.0.0.1:7001.. with the local preset, and one
 * client that issues key-value requests to any node, either waiting (in simulated time) for the
 * answer ({@link #call}) or not ({@link #issue}, then {@link #await}). Every answer the client
 * receives is kept by request id, repeats included, so tests can see what a retry was told.
 */
final class KvCluster {

  static final Address CLIENT = new Address("127.0.0.1", 9000);

  final EmulatedNetwork net;
  final List<Address> nodes = new ArrayList<>();
  /** The test class, named in replay hints; null for none. */
  private final Class<?> test;
  private long nextRequestId = 1;
  /** Every answer received, by request id, in arrival order. */
  private final Map<Long, List<KvReply>> replies = new HashMap<>();

  KvCluster(long seed, int size) {
    this(seed, size, null);
  }

  /** @param test the test class, for the replay hint of {@link #seedSays} */
  KvCluster(long seed, int size, Class<?> test) {
    this(seed, size, test, NodeConfig.local());
  }

  /** A cluster with another configuration than the local preset. */
  KvCluster(long seed, int size, Class<?> test, NodeConfig config) {
    this.test = test;
    net = new EmulatedNetwork(seed, config);
    net.faults().setDelay(1, 5);
    for (int i = 1; i <= size; i++) {
      nodes.add(new Address("127.0.0.1", 7000 + i));
    }
    for (Address a : nodes) {
      net.addNode(a, nodes.subList(0, Math.min(3, size)));
    }
    // A node that missed some joins learns them at the next full-state sync: allow a few (the
    // LAN preset syncs every 30 s; seeds 8, 34 and 37 of HintedHandoffTest need one).
    long bound = net.now() + Math.max(20_000, 4 * config.syncIntervalMillis());
    assertTrue(net.runUntil(() -> converged(nodes), bound, 50),
        seedSays("cluster did not converge"));
  }

  Address node(int i) {
    return nodes.get(i - 1);
  }

  /**
   * "seed S: what (replay: mvn ...)": an assertion message that names the seed and how to run it
   * again.
   */
  String seedSays(String what) {
    String replay = test == null ? "-Dqkv.seed=" + net.seed()
        : "mvn -o -pl kvnode test -Dtest=" + test.getSimpleName() + " -Dqkv.seed=" + net.seed();
    return "seed " + net.seed() + ": " + what + " (replay: " + replay + ")";
  }

  /** Adds a node on the next free port (seeded by the first three) and returns its address. */
  Address join() {
    Address a = new Address("127.0.0.1", 7001 + nodes.size());
    nodes.add(a);
    net.addNode(a, nodes.subList(0, 3));
    return a;
  }

  /** Every given node is live and sees exactly these nodes alive (no suspect) and in its ring. */
  boolean converged(List<Address> alive) {
    for (Address o : alive) {
      Optional<Node> n = net.node(o);
      if (n.isEmpty()) {
        return false;
      }
      List<Address> seen = new ArrayList<>();
      for (MemberStatus m : n.get().members(net.now())) {
        if (m.state() == MemberState.SUSPECT) {
          return false;
        }
        if (m.state() == MemberState.ALIVE) {
          seen.add(m.address());
        }
      }
      if (!seen.equals(alive.stream().sorted().toList())) {
        return false;
      }
    }
    return true;
  }

  /** Runs until every live node sees exactly the live nodes; false if not within 10 s. */
  boolean awaitConverged() {
    return net.runUntil(() -> converged(net.liveAddresses()), net.now() + 10_000, 10);
  }

  /** Sends a request to {@code coordinator} and runs until its answer arrives (or 10 s pass). */
  KvReply call(Address coordinator, KvOp op, String key, String value, Consistency c) {
    long id = nextRequestId++;
    return callWithId(coordinator, id, op, key, value, c);
  }

  KvReply call(Address coordinator, KvOp op, String key, String value) {
    return call(coordinator, op, key, value, Consistency.QUORUM);
  }

  KvReply callWithId(Address coordinator, long id, KvOp op, String key, String value,
      Consistency c) {
    send(coordinator, id, op, key, value, c);
    KvReply answer = await(id, net.now() + 10_000);
    if (answer == null) {
      throw new AssertionError(seedSays("no answer to " + op + " " + key));
    }
    return answer;
  }

  /** The answer to request {@code id}, running up to 10 s for it; fails when none comes. */
  KvReply answer(long id) {
    KvReply reply = await(id, net.now() + 10_000);
    if (reply == null) {
      throw new AssertionError(seedSays("no answer to request " + id));
    }
    return reply;
  }

  /** Sends a request without waiting; returns its id. */
  long issue(Address coordinator, KvOp op, String key, String value, Consistency c) {
    long id = newRequestId();
    send(coordinator, id, op, key, value, c);
    return id;
  }

  /** A request id not used yet, for a test that sends the request itself ({@link #send}). */
  long newRequestId() {
    return nextRequestId++;
  }

  /** Sends (or resends, as a client retrying does) the request {@code id}. */
  void send(Address coordinator, long id, KvOp op, String key, String value, Consistency c) {
    nextRequestId = Math.max(nextRequestId, id + 1);
    net.send(CLIENT, coordinator, Envelope.of(CLIENT, id, new KvRequest(op, key, value, c, 0)));
  }

  /**
   * Runs until an answer to request {@code id} has arrived (at any time so far) or the clock
   * passes {@code deadlineMillis}; returns the first answer, or null.
   */
  KvReply await(long id, long deadlineMillis) {
    net.runUntil(() -> {
      collect();
      return replies.containsKey(id);
    }, deadlineMillis, 1);
    List<KvReply> got = replies.get(id);
    return got == null ? null : got.get(0);
  }

  /** Every answer received to request {@code id} so far, in arrival order. */
  List<KvReply> repliesTo(long id) {
    collect();
    return List.copyOf(replies.getOrDefault(id, List.of()));
  }

  /** Moves what the client received into {@link #replies}. */
  private void collect() {
    for (Received r : net.drainReceived(CLIENT)) {
      if (r.envelope().message() instanceof KvReply reply) {
        replies.computeIfAbsent(r.envelope().requestId(), k -> new ArrayList<>()).add(reply);
      }
    }
  }

  /**
   * {@code count} keys named {@code prefix}N whose owners are exactly {@code owners} (in any
   * order) by every ring, so one crash hits all of them alike.
   */
  List<String> keysOwnedBy(List<Address> owners, String prefix, int count) {
    List<Address> sorted = owners.stream().sorted().toList();
    List<String> out = new ArrayList<>();
    for (int i = 0; out.size() < count; i++) {
      if (i > 1_000_000) {
        throw new AssertionError(seedSays("no key found with owners " + owners));
      }
      if (sorted.equals(agreedOwners(prefix + i))) {
        out.add(prefix + i);
      }
    }
    return out;
  }

  /**
   * Creates {@code count} keys that share the same 3 owners (picked with {@code rnd}), each with
   * {@code value}, through a non-owner and with consistency ALL, so every owner holds them.
   */
  List<String> createSharingOwners(RandomGenerator rnd, int count, String value) {
    List<Address> owners = agreedOwners("pick:" + rnd.nextInt(1_000_000));
    List<String> keys = keysOwnedBy(owners, "k" + rnd.nextInt(1000) + "-", count);
    Address via = nonOwners(keys.get(0)).get(rnd.nextInt(nodes.size() - 3));
    for (String k : keys) {
      KvReply created = call(via, KvOp.CREATE, k, value, Consistency.ALL);
      assertEquals(KvStatus.OK, created.status(), seedSays("create " + k + ": " + created));
    }
    return keys;
  }

  /** Fisher-Yates with a seeded generator (Collections.shuffle wants a java.util.Random). */
  static <T> void shuffle(List<T> list, RandomGenerator rnd) {
    for (int i = list.size() - 1; i > 0; i--) {
      Collections.swap(list, i, rnd.nextInt(i + 1));
    }
  }

  /** The live nodes that do not own {@code key}, in an order drawn from {@code rnd}. */
  List<Address> nonOwners(String key, RandomGenerator rnd) {
    List<Address> out = nonOwners(key);
    shuffle(out, rnd);
    return out;
  }

  /** The live nodes that do not own {@code key}. */
  List<Address> nonOwners(String key) {
    List<Address> out = new ArrayList<>(net.liveAddresses());
    out.removeAll(agreedOwners(key));
    return out;
  }

  /** True when some node logged the removal of {@code member} (declared it dead or left). */
  boolean anyoneRemoved(Address member) {
    for (TimedEvent e : net.events()) {
      if (e.event() instanceof NodeEvent.Membership m && m.subject().equals(member)
          && m.change() == NodeEvent.MembershipChange.REMOVED) {
        return true;
      }
    }
    return false;
  }

  /** True when no live node has stabilization transfers in flight. */
  boolean quiet() {
    for (Address a : net.liveAddresses()) {
      if (net.node(a).orElseThrow().kv().stabilizing()) {
        return false;
      }
    }
    return true;
  }

  /**
   * Creates keys {@code prefix}0.. with values v0.., {@code count} of them, through the nodes in
   * turn, up to {@link #LOAD_WINDOW} requests in flight at once; every one must succeed.
   */
  List<String> load(String prefix, int count) {
    return load(prefix, count, KvOp.CREATE);
  }

  /** {@link #load(String, int)} with {@code op}: create, or put (one phase, cheaper). */
  List<String> load(String prefix, int count, KvOp op) {
    List<String> keys = new ArrayList<>();
    Map<Long, String> inFlight = new HashMap<>();
    for (int i = 0; i < count; i++) {
      String k = prefix + i;
      keys.add(k);
      inFlight.put(issue(nodes.get(i % nodes.size()), op, k, "v" + i, Consistency.QUORUM), k);
      if (inFlight.size() == LOAD_WINDOW || i == count - 1) {
        for (Map.Entry<Long, String> e : inFlight.entrySet()) {
          KvReply r = answer(e.getKey());
          assertEquals(KvStatus.OK, r.status(), seedSays("load " + e.getValue() + ": " + r));
        }
        inFlight.clear();
      }
    }
    net.runFor(30); // the third replicas' writes
    return keys;
  }

  /** Most requests {@link #load} keeps in flight. */
  static final int LOAD_WINDOW = 1000;

  /**
   * Null when every record (value or tombstone) stored at a live node is a key that node owns by
   * the agreed ring; else a description of the first few that are not.
   */
  String strays() {
    List<String> bad = new ArrayList<>();
    for (Address a : net.liveAddresses()) {
      for (String key : storedAt(a)) {
        List<Address> owners = agreedOwners(key);
        if (owners == null || !owners.contains(a)) {
          bad.add(key + " at " + a + " owners=" + owners);
        }
      }
    }
    return bad.isEmpty() ? null : bad.size() + " stray records, e.g. " + bad.get(0);
  }

  /** Those of {@code keys} that {@code node} owns by the agreed ring, in key order. */
  List<String> ownedBy(Address node, List<String> keys) {
    List<String> out = new ArrayList<>();
    for (String k : keys) {
      List<Address> owners = agreedOwners(k);
      if (owners != null && owners.contains(node)) {
        out.add(k);
      }
    }
    out.sort(null);
    return out;
  }

  /** The keys whose records {@code node} stores, tombstones included, in key order. */
  List<String> storedAt(Address node) {
    Storage storage = net.node(node).orElseThrow().kv().storage();
    List<String> out = new ArrayList<>();
    for (KeyRecord r : storage.scan(null, Integer.MAX_VALUE)) {
      out.add(r.key());
    }
    return out;
  }

  /** The nodes that store a live value for {@code key}. */
  List<Address> holders(String key) {
    List<Address> out = new ArrayList<>();
    for (Address a : net.liveAddresses()) {
      if (net.node(a).orElseThrow().kv().storage().get(key).isLive()) {
        out.add(a);
      }
    }
    return out;
  }

  /**
   * The key's owners, sorted, when every live node's ring names the same ones; else null (the
   * views have not converged).
   */
  List<Address> agreedOwners(String key) {
    List<Address> agreed = null;
    for (Address a : net.liveAddresses()) {
      List<Address> owners = new ArrayList<>(net.node(a).orElseThrow().replicasOf(key));
      owners.sort(null);
      if (agreed != null && !agreed.equals(owners)) {
        return null;
      }
      agreed = owners;
    }
    return agreed;
  }

  /**
   * Null when every key in {@code live} is held by exactly the owners every ring agrees on, and
   * every key in {@code deleted} by no one; else a description of what is wrong.
   */
  String misplaced(Iterable<String> live, Iterable<String> deleted) {
    List<String> bad = new ArrayList<>();
    for (String k : live) {
      List<Address> owners = agreedOwners(k);
      List<Address> holders = holders(k);
      if (owners == null || !owners.equals(holders)) {
        bad.add(k + " owners=" + owners + " holders=" + holders);
      }
    }
    for (String k : deleted) {
      if (!holders(k).isEmpty()) {
        bad.add(k + " deleted but held by " + holders(k));
      }
    }
    return bad.isEmpty() ? null : bad.size() + " misplaced, e.g. " + bad.get(0);
  }

  String misplaced(Iterable<String> live) {
    return misplaced(live, List.of());
  }

  /** Outcome events about {@code key} since event index {@code from}. */
  List<NodeEvent.KvOutcome> outcomes(String key, int from) {
    List<NodeEvent.KvOutcome> out = new ArrayList<>();
    for (NodeEvent.KvOutcome kv : outcomesSince(from)) {
      if (kv.key().equals(key)) {
        out.add(kv);
      }
    }
    return out;
  }

  /** Outcome events of the client's request {@code requestId}, by {@code role}. */
  List<NodeEvent.KvOutcome> outcomesOf(long requestId, NodeEvent.Role role) {
    List<NodeEvent.KvOutcome> out = new ArrayList<>();
    for (NodeEvent.KvOutcome kv : outcomesSince(0)) {
      if (kv.requestId() == requestId && kv.role() == role && kv.client().equals(CLIENT)) {
        out.add(kv);
      }
    }
    return out;
  }

  /** Every outcome event since event index {@code from}. */
  List<NodeEvent.KvOutcome> outcomesSince(int from) {
    List<NodeEvent.KvOutcome> out = new ArrayList<>();
    List<TimedEvent> all = net.events();
    for (int i = from; i < all.size(); i++) {
      if (all.get(i).event() instanceof NodeEvent.KvOutcome kv) {
        out.add(kv);
      }
    }
    return out;
  }
}
