package io.quorumkv.it.grade;

import io.quorumkv.common.wire.Address;
import io.quorumkv.it.LocalCluster;
import io.quorumkv.node.emul.MembershipGrade;
import io.quorumkv.node.emul.MembershipScenario;
import io.quorumkv.node.emul.MembershipScenario.Kind;
import io.quorumkv.node.emul.TimedEvent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The seed's membership scenarios on 10 real kvnode processes. The schedule is the emulated one
 * ({@link MembershipScenario}) with 1 tick = 100 ms of wall-clock time: node i starts at tick
 * floor(0.25 i), the victims the seed picks (the same indices as in the emulator) get SIGKILL at
 * tick 100, and in the message-loss scenario every node drops 10% of the datagrams it receives
 * during ticks 51..300 (the node's testing-only {@code --fault-drop-rate} and
 * {@code --fault-drop-window}). At the last tick every node is killed, the event logs are read
 * and scored by {@link MembershipGrade}, with event times turned into ticks.
 */
final class RealMembershipRun {

  private RealMembershipRun() {
  }

  static MembershipGrade.ScenarioGrade run(Kind kind, long seed, Path kvnodeJar, Path runDir,
      int ticks) throws Exception {
    try (LocalCluster cluster = new LocalCluster(kvnodeJar, runDir, MembershipScenario.NODES)) {
      // Start tick 0 a little ahead, so the first node starts on time.
      Pacer pacer = new Pacer(System.currentTimeMillis() + 200, MembershipScenario.TICK_MILLIS);
      List<String> faults = kind == Kind.DROP_SINGLE
          ? List.of("--fault-drop-rate", String.valueOf(MembershipScenario.DROP_PROBABILITY),
              "--fault-seed", String.valueOf(seed), "--fault-drop-window",
              pacer.at(MembershipScenario.DROP_FIRST_TICK) + ","
                  + pacer.at(MembershipScenario.DROP_LAST_TICK + 1))
          : List.of();
      for (int i = 0; i < MembershipScenario.NODES; i++) {
        pacer.awaitTick((int) Math.floor(0.25 * i));
        cluster.start(i + 1, faults);
      }
      List<Integer> victims = victims(kind, seed);
      pacer.awaitTick(MembershipScenario.FAIL_TICK);
      List<Address> failed = new ArrayList<>();
      for (int v : victims) {
        cluster.kill(v);
        failed.add(cluster.address(v));
      }
      pacer.awaitTick(ticks);
      cluster.killAll();
      List<TimedEvent> events = new ArrayList<>();
      for (TimedEvent e : cluster.events(pacer.origin())) {
        if (e.timeMillis() >= 0 && e.timeMillis() < (long) ticks * MembershipScenario.TICK_MILLIS) {
          events.add(e);
        }
      }
      return MembershipGrade.grade(kind, seed, failed, MembershipScenario.FAIL_TICK, events);
    }
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
