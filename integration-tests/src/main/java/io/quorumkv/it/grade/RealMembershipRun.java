package io.quorumkv.it.grade;

import io.quorumkv.common.wire.Address;
import io.quorumkv.it.LocalCluster;
import io.quorumkv.node.grade.MembershipScenario;
import io.quorumkv.node.grade.MembershipScenario.Kind;
import io.quorumkv.node.emul.TimedEvent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The seed's membership scenarios on 10 real kvnode processes. The schedule is the emulated one
 * ({@link MembershipScenario}) with 1 tick = 100 ms of wall-clock time: node i starts at tick
 * floor(0.25 i), the victims the seed picks (the same indices as in the emulator) get SIGKILL at
 * tick 100, and in the message-loss scenario every node drops 10% of the datagrams it receives
 * during ticks 51..300 (the node's testing-only {@code --fault-drop-rate} and
 * {@code --fault-drop-window}). At the last tick every node is killed, the event logs are read
 * for {@code MembershipGrade} to score, with event times turned into ticks.
 */
final class RealMembershipRun {

  private RealMembershipRun() {
  }

  static MembershipScenario.Result run(Kind kind, long seed, Path kvnodeJar, Path runDir,
      int ticks) throws Exception {
    try (LocalCluster cluster = new LocalCluster(kvnodeJar, runDir, MembershipScenario.NODES);
        RealTestbed bed = new RealTestbed(cluster, i -> faults(kind, seed, i))) {
      for (int i = 0; i < MembershipScenario.NODES; i++) {
        bed.awaitTick(startTick(i));
        bed.start(i);
      }
      List<Integer> victims = victims(kind, seed);
      bed.awaitTick(MembershipScenario.FAIL_TICK);
      List<Address> failed = new ArrayList<>();
      for (int v : victims) {
        bed.crash(v - 1);
        failed.add(cluster.address(v));
      }
      bed.awaitTick(ticks);
      cluster.killAll();
      List<TimedEvent> events = new ArrayList<>();
      for (TimedEvent e : bed.events()) {
        if (e.timeMillis() >= 0 && e.timeMillis() < (long) ticks * MembershipScenario.TICK_MILLIS) {
          events.add(e);
        }
      }
      return new MembershipScenario.Result(kind, seed, bed.nodes(), failed,
          MembershipScenario.FAIL_TICK, events, Map.of(), "");
    }
  }

  /** Node {@code index}'s start tick: floor(0.25 i), the original STEP_RATE. */
  private static int startTick(int index) {
    return index / 4;
  }

  /**
   * Node {@code index}'s testing faults: in DROP_SINGLE, 10% of received datagrams are lost
   * during ticks 51..300, a window given relative to the node's own start tick; each node's
   * losses come from its own seed.
   */
  private static List<String> faults(Kind kind, long seed, int index) {
    if (kind != Kind.DROP_SINGLE) {
      return List.of();
    }
    long tick = MembershipScenario.TICK_MILLIS;
    long from = (MembershipScenario.DROP_FIRST_TICK - startTick(index)) * tick;
    long until = (MembershipScenario.DROP_LAST_TICK + 1 - startTick(index)) * tick;
    return List.of("--fault-drop-rate", String.valueOf(MembershipScenario.DROP_PROBABILITY),
        "--fault-seed", String.valueOf(seed * 31 + index), "--fault-drop-window",
        "+" + from + ",+" + until);
  }

  /** The seed's victims as 1-based node numbers: the same choice as in the emulator. */
  static List<Integer> victims(Kind kind, long seed) {
    List<Address> emulated = MembershipScenario.addresses();
    List<Integer> out = new ArrayList<>();
    for (Address a : MembershipScenario.failedNodes(kind, seed)) {
      out.add(emulated.indexOf(a) + 1);
    }
    return out;
  }
}
