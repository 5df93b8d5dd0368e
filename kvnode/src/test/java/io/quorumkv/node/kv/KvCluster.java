package io.quorumkv.node.kv;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorumkv.common.wire.Address;
import io.quorumkv.common.wire.Consistency;
import io.quorumkv.common.wire.Envelope;
import io.quorumkv.common.wire.KvOp;
import io.quorumkv.common.wire.KvReply;
import io.quorumkv.common.wire.KvRequest;
import io.quorumkv.common.wire.MemberState;
import io.quorumkv.common.wire.MemberStatus;
import io.quorumkv.node.Node;
import io.quorumkv.node.NodeConfig;
import io.quorumkv.node.NodeEvent;
import io.quorumkv.node.emul.EmulatedNetwork;
import io.quorumkv.node.emul.Received;
import io.quorumkv.node.emul.TimedEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A test harness: an emulated cluster of nodes 127.0.0.1:7001.. with the local preset, and one
 * client that issues key-value requests to any node and waits (in simulated time) for the answer.
 */
final class KvCluster {

  static final Address CLIENT = new Address("127.0.0.1", 9000);

  final EmulatedNetwork net;
  final List<Address> nodes = new ArrayList<>();
  private long nextRequestId = 1;

  KvCluster(long seed, int size) {
    net = new EmulatedNetwork(seed, NodeConfig.local());
    net.faults().setDelay(1, 5);
    for (int i = 1; i <= size; i++) {
      nodes.add(new Address("127.0.0.1", 7000 + i));
    }
    for (Address a : nodes) {
      net.addNode(a, nodes.subList(0, Math.min(3, size)));
    }
    assertTrue(net.runUntil(() -> converged(nodes), 20_000, 50),
        "seed " + seed + ": cluster did not converge");
  }

  Address node(int i) {
    return nodes.get(i - 1);
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

  /** Sends a request to {@code coordinator} and runs until its answer arrives (or 10 s pass). */
  KvReply call(Address coordinator, KvOp op, String key, String value, Consistency c) {
    long id = nextRequestId++;
    return callWithId(coordinator, id, op, key, value, c);
  }

  KvReply callWithId(Address coordinator, long id, KvOp op, String key, String value,
      Consistency c) {
    net.send(CLIENT, coordinator, Envelope.of(CLIENT, id,
        new KvRequest(op, key, value, c, 0)));
    KvReply[] answer = new KvReply[1];
    net.runUntil(() -> {
      for (Received r : net.drainReceived(CLIENT)) {
        if (r.envelope().requestId() == id && r.envelope().message() instanceof KvReply reply) {
          answer[0] = reply;
        }
      }
      return answer[0] != null;
    }, net.now() + 10_000, 1);
    if (answer[0] == null) {
      throw new AssertionError("seed " + net.seed() + ": no answer to " + op + " " + key);
    }
    return answer[0];
  }

  KvReply call(Address coordinator, KvOp op, String key, String value) {
    return call(coordinator, op, key, value, Consistency.QUORUM);
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

  /** Outcome events about {@code key} since event index {@code from}. */
  List<NodeEvent.KvOutcome> outcomes(String key, int from) {
    List<NodeEvent.KvOutcome> out = new ArrayList<>();
    List<TimedEvent> all = net.events();
    for (int i = from; i < all.size(); i++) {
      if (all.get(i).event() instanceof NodeEvent.KvOutcome kv && kv.key().equals(key)) {
        out.add(kv);
      }
    }
    return out;
  }
}
