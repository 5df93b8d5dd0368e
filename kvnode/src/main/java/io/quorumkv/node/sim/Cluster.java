package io.quorumkv.node.sim;

import io.quorumkv.common.time.Version;
import io.quorumkv.common.wire.Address;
import io.quorumkv.common.wire.KeyRecord;
import io.quorumkv.common.wire.MemberState;
import io.quorumkv.common.wire.MemberStatus;
import io.quorumkv.node.Node;
import io.quorumkv.node.check.Checker;
import io.quorumkv.node.emul.EmulatedNetwork;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the simulation asks of the whole cluster: has it converged (every node alive in every
 * view, nobody suspect), has it settled (converged, no stabilization in progress, every key on
 * exactly the owners every node names, all holding the same record), and, once settled, each
 * key's final record.
 */
final class Cluster {

  private final EmulatedNetwork net;
  private final List<Address> nodes;

  Cluster(EmulatedNetwork net, List<Address> nodes) {
    this.net = net;
    this.nodes = List.copyOf(nodes);
  }

  /** Every node is live and sees exactly all nodes alive, none suspect. */
  boolean converged() {
    return viewProblem() == null;
  }

  /** Converged, quiet, and every key of the key space held by exactly its owners. */
  boolean settled() {
    if (!converged()) {
      return false;
    }
    for (Address a : nodes) {
      if (net.node(a).orElseThrow().kv().stabilizing()) {
        return false;
      }
    }
    return placementProblem() == null;
  }

  /** Each key's record once settled: the newest among its owners (a read at ALL would see it). */
  Map<String, Checker.Final> finals(List<String> keys) {
    Map<String, Checker.Final> out = new TreeMap<>();
    Node first = net.node(nodes.get(0)).orElseThrow();
    for (String key : keys) {
      KeyRecord newest = KeyRecord.absent(key);
      for (Address owner : first.replicasOf(key)) {
        KeyRecord r = net.node(owner).orElseThrow().kv().storage().get(key);
        if (r.version().compareTo(newest.version()) > 0) {
          newest = r;
        }
      }
      out.put(key, new Checker.Final(newest.isLive(), newest.value(), newest.version()));
    }
    return out;
  }

  /** A violation that says what is unsettled, with each node's view and the key placement. */
  Checker.Violation problem(String headline) {
    String view = viewProblem();
    String placement = view == null ? placementProblem() : null;
    return new Checker.Violation("convergence", "-", headline + ": "
        + (view != null ? view : placement != null ? placement : "still stabilizing"), List.of());
  }

  /** Null when converged; otherwise the first node whose view is off, and its view. */
  private String viewProblem() {
    for (Address a : nodes) {
      if (net.node(a).isEmpty()) {
        return a + " is down";
      }
      List<String> seen = new ArrayList<>();
      boolean ok = true;
      for (MemberStatus m : net.node(a).get().members(net.nodeTime(a))) {
        seen.add(m.address() + "=" + m.state().wireName());
        ok &= m.state() == MemberState.ALIVE;
      }
      if (!ok || seen.size() != nodes.size()) {
        return a + " sees " + seen;
      }
    }
    return null;
  }

  /** Null when every node names the same owners for every key and exactly they hold it. */
  private String placementProblem() {
    for (String key : Simulation.keyNames(Simulation.KEYS)) {
      List<Address> owners = net.node(nodes.get(0)).orElseThrow().replicasOf(key);
      List<Address> holders = new ArrayList<>();
      for (Address a : nodes) {
        Node n = net.node(a).orElseThrow();
        if (!n.replicasOf(key).equals(owners)) {
          return a + " names owners " + n.replicasOf(key) + " of " + key + ", " + nodes.get(0)
              + " names " + owners;
        }
        if (!n.kv().storage().get(key).version().equals(Version.ZERO)) {
          holders.add(a);
        }
      }
      boolean written = !holders.isEmpty();
      List<Address> sortedOwners = owners.stream().sorted().toList();
      if (written && !holders.equals(sortedOwners)) {
        return key + " is held by " + holders + ", owned by " + sortedOwners;
      }
      // Anti-entropy brings every owner to the same record, the newest.
      List<KeyRecord> records = owners.stream()
          .map(o -> net.node(o).orElseThrow().kv().storage().get(key)).distinct().toList();
      if (records.size() > 1) {
        return key + " differs between its owners: " + records;
      }
    }
    return null;
  }
}
