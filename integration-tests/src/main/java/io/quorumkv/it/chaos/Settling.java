package io.quorumkv.it.chaos;

import io.quorumkv.common.wire.Address;
import io.quorumkv.common.wire.StatusReply;
import io.quorumkv.it.LocalCluster;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Watches, from outside, whether the cluster has settled after a change: every node that is up
 * (running, not paused) answers a status request, sees exactly the up nodes alive and nobody
 * suspect, and none of their stabilization counters ({@link #ACTIVITY}) has moved for
 * {@link #QUIET_MILLIS}. On loopback a round moves a few keys in milliseconds, so a quiet spell
 * of a few seconds with one agreed view means re-replication is over; the spell also lets the
 * workload overwrite what a paused node missed. Polled by the caller, with time as a parameter.
 * The failover bench uses it too, between its runs.
 */
public final class Settling {

  /** How long the view must hold and the counters stay still. */
  static final long QUIET_MILLIS = 3_000;

  /** Counters that move while a node re-replicates: rounds started, batches sent, keys stored. */
  static final List<String> ACTIVITY = List.of("kv.stabilization.rounds", "kv.handoff.batches",
      "kv.handoff.stored");

  private final LocalCluster cluster;
  private Map<Integer, List<Long>> lastActivity = Map.of();
  private long quietSince = -1;
  private String problem = "not watched yet";

  public Settling(LocalCluster cluster) {
    this.cluster = cluster;
  }

  /**
   * Asks every node of {@code up} for its status at {@code nowMillis}; true when the cluster has
   * been settled for {@link #QUIET_MILLIS}.
   */
  public boolean poll(List<Integer> up, long nowMillis) {
    List<Address> expected = new ArrayList<>();
    for (int i : up) {
      expected.add(cluster.address(i));
    }
    Map<Integer, List<Long>> activity = new TreeMap<>();
    String why = null;
    for (int i : up) {
      Optional<StatusReply> status = cluster.status(i);
      if (status.isEmpty()) {
        why = "node " + i + " does not answer";
        break;
      }
      if (!LocalCluster.seesExactly(status.get(), expected)) {
        why = "node " + i + " does not see exactly " + expected + " alive, nobody suspect";
        break;
      }
      List<Long> counts = new ArrayList<>();
      for (String name : ACTIVITY) {
        counts.add(status.get().counters().getOrDefault(name, 0L));
      }
      activity.put(i, counts);
    }
    if (why == null && !activity.equals(lastActivity)) {
      why = "stabilization counters still moving";
    }
    lastActivity = activity;
    if (why != null) {
      problem = why;
      quietSince = -1;
      return false;
    }
    if (quietSince < 0) {
      quietSince = nowMillis;
    }
    problem = "quiet for " + (nowMillis - quietSince) + " of " + QUIET_MILLIS + " ms";
    return nowMillis - quietSince >= QUIET_MILLIS;
  }

  /** Forgets the quiet spell: the cluster changed (a node was killed, paused or came back). */
  public void reset() {
    quietSince = -1;
    lastActivity = Map.of();
  }

  /** Why the last poll did not find the cluster settled. */
  public String problem() {
    return problem;
  }
}
