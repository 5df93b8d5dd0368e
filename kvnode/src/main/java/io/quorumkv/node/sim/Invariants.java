package io.quorumkv.node.sim;

import io.quorumkv.common.wire.Address;
import io.quorumkv.common.wire.KeyRecord;
import io.quorumkv.common.wire.MemberState;
import io.quorumkv.common.wire.MemberStatus;
import io.quorumkv.node.Node;
import io.quorumkv.node.NodeEvent;
import io.quorumkv.node.emul.EmulatedNetwork;
import io.quorumkv.node.emul.TimedEvent;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Properties that hold after every event of a simulation, checked by the emulator as it runs
 * ({@link EmulatedNetwork#addInvariant}); a broken one stops the run with the seed and the time.
 *
 * <ul>
 *   <li>One outcome per request and role: a node logs at most one coordinator outcome and one
 *       replica outcome per client request (client address and request id) in one life; retries
 *       and retransmissions are answered from memory.
 *   <li>Every node sees itself alive in its own member list.
 *   <li>Every value a node stores was written by some client request (the workload's values
 *       are unique): nothing is made up, whatever the faults.
 * </ul>
 *
 * <p>Replicas serve whatever coordinators ask, owners or not (a coordinator's ring may be a step
 * behind during membership changes), so "no node holds a key it does not own" holds only once
 * the cluster has settled, where the simulation checks it ({@link Cluster#settled}).
 */
final class Invariants {

  private final EmulatedNetwork net;
  private final Set<String> written;
  /** Per node, in its current life: the (role, client, request id) it logged an outcome for. */
  private final Map<Address, Set<String>> logged = new HashMap<>();
  private int eventsSeen;

  Invariants(EmulatedNetwork net, Set<String> written) {
    this.net = net;
    this.written = written;
  }

  /** {@code node} crashed or restarted: a new life remembers nothing of the old. */
  void newLife(Address node) {
    checkOutcomes(); // the old life's events first
    logged.remove(node);
  }

  void checkOutcomes() {
    List<TimedEvent> events = net.events();
    for (; eventsSeen < events.size(); eventsSeen++) {
      if (events.get(eventsSeen).event() instanceof NodeEvent.KvOutcome kv) {
        String id = kv.role() + " " + kv.client() + "#" + kv.requestId();
        if (!logged.computeIfAbsent(kv.observer(), a -> new HashSet<>()).add(id)) {
          throw new IllegalStateException(kv.observer() + " logged a second " + kv.role()
              + " outcome for request " + kv.client() + "#" + kv.requestId() + ": " + kv);
        }
      }
    }
  }

  void checkSelfAlive() {
    for (Address a : net.liveAddresses()) {
      Node node = net.node(a).orElseThrow();
      boolean alive = false;
      for (MemberStatus m : node.members(net.nodeTime(a))) {
        alive |= m.address().equals(a) && m.state() == MemberState.ALIVE;
      }
      if (!alive) {
        throw new IllegalStateException(a + " does not see itself alive");
      }
    }
  }

  void checkStoredValues() {
    for (Address a : net.liveAddresses()) {
      for (KeyRecord r : net.node(a).orElseThrow().kv().storage().scan(null, 1_000)) {
        if (r.isLive() && !written.contains(r.value())) {
          throw new IllegalStateException(a + " stores " + r + ", a value no client wrote");
        }
      }
    }
  }
}
