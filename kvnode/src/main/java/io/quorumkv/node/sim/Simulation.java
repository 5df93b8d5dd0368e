package io.quorumkv.node.sim;

import io.quorumkv.common.wire.Address;
import io.quorumkv.common.wire.Consistency;
import io.quorumkv.common.wire.KvOp;
import io.quorumkv.node.NodeConfig;
import io.quorumkv.node.check.Checker;
import io.quorumkv.node.check.Checker.Interval;
import io.quorumkv.node.check.History;
import io.quorumkv.node.emul.EmulatedNetwork;
import io.quorumkv.node.emul.EmulationException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.random.RandomGenerator;

/**
 * One deterministic simulation run: a seed draws a {@link FaultSchedule} and a {@link Workload};
 * 5 nodes with the local preset form a cluster on the emulated network; simulated clients run
 * the workload while the faults come and go; then the heal, a tail of workload, and a settling
 * phase in which the cluster must converge (one membership, every key on exactly its owners).
 * Final reads at ALL go into the history too. {@link Invariants} are checked after every event;
 * the {@link Checker} judges the history at the end. The same seed replays the run bit for bit.
 */
public final class Simulation {

  static final int NODES = 5;
  static final int CLIENTS = 4;
  static final int KEYS = 5;
  /** Delivery delay when no delay fault is on. */
  static final long MIN_DELAY_MILLIS = 1;
  static final long MAX_DELAY_MILLIS = 5;
  static final long FORM_BOUND_MILLIS = 20_000;
  static final long FAULT_MILLIS = 20_000;
  /** Workload after the heal, before the clients stop. */
  static final long TAIL_MILLIS = 3_000;
  /** How long the healed cluster has to converge. */
  static final long SETTLE_BOUND_MILLIS = 60_000;
  static final long STEP_MILLIS = 100;
  /**
   * Simulated time at which the nodes start: late enough that a clock skewed backwards still
   * reads a positive time.
   */
  static final long START_MILLIS = 60_000;

  /** Crashes and restarts for the fault steps, keeping the invariants' books right. */
  public static final class Nodes {
    private final EmulatedNetwork net;
    private final Invariants invariants;

    Nodes(EmulatedNetwork net, Invariants invariants) {
      this.net = net;
      this.invariants = invariants;
    }

    void crash(Address a) {
      if (net.node(a).isPresent()) {
        net.crash(a);
        invariants.newLife(a);
      }
    }

    void restart(Address a) {
      net.restart(a);
      invariants.newLife(a);
    }
  }

  private Simulation() {
  }

  /** The nodes of a run: 127.0.0.1:7001.. */
  static List<Address> addresses() {
    List<Address> out = new ArrayList<>();
    for (int i = 1; i <= NODES; i++) {
      out.add(new Address("127.0.0.1", 7000 + i));
    }
    return out;
  }

  /** Runs seed {@code seed}. */
  public static SimulationResult run(long seed) {
    EmulatedNetwork net = new EmulatedNetwork(seed, NodeConfig.local());
    net.faults().setDelay(MIN_DELAY_MILLIS, MAX_DELAY_MILLIS);
    RandomGenerator scheduleRandom = net.newRandom();
    RandomGenerator workloadRandom = net.newRandom();
    List<Address> nodes = addresses();
    FaultSchedule schedule = FaultSchedule.draw(scheduleRandom, nodes, FAULT_MILLIS);
    History history = new History();
    Set<String> written = new HashSet<>();
    Invariants invariants = new Invariants(net, written);
    Cluster cluster = new Cluster(net, nodes);
    List<Checker.Violation> violations = new ArrayList<>();
    long faultStart = 0;
    try {
      schedule.clockOffsets().forEach(net::setClockOffset);
      net.runUntil(START_MILLIS);
      for (Address a : nodes) {
        net.addNode(a, nodes.subList(0, 3));
      }
      if (!net.runUntil(cluster::converged, START_MILLIS + FORM_BOUND_MILLIS, STEP_MILLIS)) {
        violations.add(cluster.problem("the cluster did not form within "
            + FORM_BOUND_MILLIS + " ms"));
        return result(seed, schedule, history, violations, cluster, net);
      }
      net.addInvariant("one outcome per request and role", invariants::checkOutcomes);
      net.addInvariant("every node sees itself alive", invariants::checkSelfAlive);
      net.addInvariant("stored values were written", invariants::checkStoredValues);
      faultStart = net.now();
      Workload workload = new Workload(net, history, written, nodes, KEYS, CLIENTS,
          workloadRandom);
      workload.start();
      Nodes control = new Nodes(net, invariants);
      for (FaultSchedule.Step step : schedule.steps()) {
        net.at(faultStart + step.atMillis(), () -> step.action().apply(net, control));
      }
      net.runUntil(faultStart + FAULT_MILLIS + TAIL_MILLIS);
      workload.stop();
      net.runUntil(() -> !workload.busy(), net.now() + 30_000, STEP_MILLIS);
      if (!net.runUntil(cluster::settled, net.now() + SETTLE_BOUND_MILLIS, STEP_MILLIS)) {
        violations.add(cluster.problem("the healed cluster did not settle within "
            + SETTLE_BOUND_MILLIS + " ms"));
      }
      workload.finalReads(workload.keys(), Consistency.ALL);
      net.runUntil(() -> !workload.busy(), net.now() + 30_000, STEP_MILLIS);
    } catch (EmulationException e) {
      violations.add(new Checker.Violation("emulation", "-", e.getMessage(), List.of()));
    }
    List<Interval> unsafe = new ArrayList<>();
    for (Interval i : schedule.unsafe()) {
      unsafe.add(new Interval(faultStart + i.from(), faultStart + i.until(), i.why()));
    }
    Map<String, Checker.Final> finals = violations.isEmpty() ? cluster.finals(keyNames(KEYS))
        : null;
    violations.addAll(new Checker(history.ops()).check(finals, unsafe, schedule.clocksAgree()));
    return result(seed, schedule, history, violations, cluster, net);
  }

  static List<String> keyNames(int keys) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < keys; i++) {
      out.add("k" + i);
    }
    return out;
  }

  private static SimulationResult result(long seed, FaultSchedule schedule, History history,
      List<Checker.Violation> violations, Cluster cluster, EmulatedNetwork net) {
    return new SimulationResult(seed, schedule.describe(), history.ops(), violations,
        net.stats(), net.now());
  }

  /** The op mix of the workload: what share of operations each is. */
  static KvOp pick(RandomGenerator random) {
    int r = random.nextInt(100);
    if (r < 35) {
      return KvOp.READ;
    } else if (r < 65) {
      return KvOp.PUT;
    } else if (r < 75) {
      return KvOp.CREATE;
    } else if (r < 88) {
      return KvOp.UPDATE;
    }
    return KvOp.DELETE;
  }
}
