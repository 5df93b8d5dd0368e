package io.quorumkv.node.sim;

import io.quorumkv.common.wire.Address;
import io.quorumkv.common.wire.Consistency;
import io.quorumkv.common.wire.KvOp;
import io.quorumkv.node.check.History;
import io.quorumkv.node.emul.EmulatedNetwork;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * The simulated clients' work: each client, one operation at a time, runs a random create,
 * read, update, delete or put on one of a few keys (so that clients collide), at a random
 * consistency level, through a random node with a second as fallback. Values are unique
 * ("c2.17": client 2's 17th), so a value read names its write.
 */
final class Workload {

  /** A coordinator's deadline (local preset) plus a margin, as KvClient waits per attempt. */
  static final long ATTEMPT_TIMEOUT_MILLIS = 1_300;
  static final int ATTEMPTS_PER_NODE = 2;
  static final long MAX_THINK_MILLIS = 40;

  private final EmulatedNetwork net;
  private final History history;
  private final Set<String> written;
  private final List<Address> nodes;
  private final List<String> keys;
  private final RandomGenerator random;
  private final List<SimClient> clients = new ArrayList<>();
  private final int clientCount;

  Workload(EmulatedNetwork net, History history, Set<String> written, List<Address> nodes,
      int keys, int clients, RandomGenerator random) {
    this.net = net;
    this.history = history;
    this.written = written;
    this.nodes = List.copyOf(nodes);
    this.keys = Simulation.keyNames(keys);
    this.random = random;
    this.clientCount = clients;
  }

  List<String> keys() {
    return keys;
  }

  /** Starts every client. */
  void start() {
    for (int c = 0; c < clientCount; c++) {
      int id = c;
      int[] seq = {0};
      SimClient client = new SimClient(id, clientAddress(id), net, history,
          () -> randomRequest(id, ++seq[0]), ATTEMPT_TIMEOUT_MILLIS, ATTEMPTS_PER_NODE);
      clients.add(client);
      client.start();
    }
  }

  /** The clients start no new operation. */
  void stop() {
    clients.forEach(SimClient::stop);
  }

  boolean busy() {
    return clients.stream().anyMatch(SimClient::busy);
  }

  /** One more client reads every key once at {@code consistency}, through the first nodes. */
  void finalReads(List<String> keysToRead, Consistency consistency) {
    Deque<SimClient.Request> script = new ArrayDeque<>();
    for (String key : keysToRead) {
      script.add(new SimClient.Request(KvOp.READ, key, "", consistency,
          List.of(nodes.get(0), nodes.get(1)), 0));
    }
    int id = clientCount + clients.size();
    SimClient reader = new SimClient(id, clientAddress(id), net, history, script::poll,
        ATTEMPT_TIMEOUT_MILLIS, ATTEMPTS_PER_NODE);
    clients.add(reader);
    reader.start();
  }

  private SimClient.Request randomRequest(int client, int seq) {
    KvOp op = Simulation.pick(random);
    String key = keys.get(random.nextInt(keys.size()));
    String value = op.carriesValue() ? "c" + client + "." + seq : "";
    if (!value.isEmpty()) {
      written.add(value);
    }
    int c = random.nextInt(100);
    Consistency consistency = c < 70 ? Consistency.QUORUM : c < 85 ? Consistency.ONE
        : Consistency.ALL;
    Address first = nodes.get(random.nextInt(nodes.size()));
    Address second = nodes.get(random.nextInt(nodes.size()));
    while (second.equals(first)) {
      second = nodes.get(random.nextInt(nodes.size()));
    }
    return new SimClient.Request(op, key, value, consistency, List.of(first, second),
        random.nextLong(MAX_THINK_MILLIS + 1));
  }

  private static Address clientAddress(int id) {
    return new Address("127.0.0.1", 9100 + id);
  }
}
