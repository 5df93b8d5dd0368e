package io.quorumkv.node.sim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorumkv.common.wire.KvOp;
import io.quorumkv.node.check.Checker;
import io.quorumkv.node.check.History;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Deterministic simulation: over many seeds, a 5-node cluster under a seeded fault schedule
 * keeps every guarantee the checker knows, and settles after the heal. A failing seed prints its
 * schedule, the violation with the history around it, and the command that replays it.
 *
 * <p>{@code -Dqkv.seeds=N} runs seeds 1..N instead of the default 200; {@code -Dqkv.seed=S} one.
 */
class SimulationTest {

  private static final int DEFAULT_SEEDS = 200;

  /**
   * Seeds that once broke a guarantee, kept whatever the sweep: 4 and 7 (a put retried through a
   * second coordinator took effect twice), 1073 and 1196 (a retried delete that its first attempt
   * had applied answered "not found"), 5017, 5058 and 5095 (a create retried after its first
   * attempt was applied and overwritten answered "exists": refusals after a retry are now
   * reported as ambiguous), 100352 (a node restarted into loss knew one member of five and
   * coordinated a quorum read on a ring of two: nodes now coordinate only once they have the
   * member list).
   */
  private static final long[] REGRESSIONS = {4, 7, 1073, 1196, 5017, 5058, 5095, 100352};

  static LongStream seeds() {
    String one = System.getProperty("qkv.seed");
    if (one != null && !one.isBlank()) {
      return LongStream.of(Long.parseLong(one.trim()));
    }
    return LongStream.concat(LongStream.rangeClosed(1, Integer.getInteger("qkv.seeds",
        DEFAULT_SEEDS)), LongStream.of(REGRESSIONS)).distinct();
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void keepsEveryGuarantee(long seed) {
    SimulationResult r = Simulation.run(seed);
    assertTrue(r.ok(), () -> String.join("\n", r.report(
        "scripts/simulate.sh --seeds 1 --seed " + seed
            + "  (or mvn -o -pl kvnode -am test -Dtest=SimulationTest"
            + " -Dsurefire.failIfNoSpecifiedTests=false -Dqkv.seed=" + seed + ")")));
    // Not vacuous: the workload did work, and some of it under faults.
    long ok = r.history().stream().filter(History.Op::isOk).count();
    assertTrue(ok > 100, "seed " + seed + ": only " + ok + " operations succeeded");
  }

  @Test
  void theSameSeedReplaysTheSameRun() {
    SimulationResult a = Simulation.run(42);
    SimulationResult b = Simulation.run(42);
    assertEquals(a.schedule(), b.schedule());
    assertEquals(a.history(), b.history());
    assertEquals(a.networkStats(), b.networkStats());
    assertFalse(a.history().equals(Simulation.run(43).history()));
  }

  @Test
  void aTamperedHistoryIsCaught() {
    SimulationResult r = Simulation.run(5);
    List<History.Op> ops = new ArrayList<>(r.history());
    // Make one successful read return a value nobody wrote.
    int forged = -1;
    for (int i = 0; i < ops.size(); i++) {
      History.Op o = ops.get(i);
      if (o.op() == KvOp.READ && o.isOk() && o.found()) {
        ops.set(i, new History.Op(o.id(), o.client(), o.op(), o.key(), o.value(),
            o.consistency(), o.coordinator(), o.invokedMillis(), o.completedMillis(),
            o.outcome(), o.status(), "forged", true, o.version()));
        forged = o.id();
        break;
      }
    }
    int id = forged;
    List<Checker.Violation> phantoms = new Checker(ops).check(null, List.of(), false).stream()
        .filter(v -> v.property().equals(Checker.PHANTOM)).toList();
    assertEquals(1, phantoms.size(), phantoms::toString);
    assertEquals(id, phantoms.get(0).ops().get(0).id());
  }

  @Test
  void schedulesCoverEveryFaultKindAcrossSeeds() {
    String all = String.join("\n", LongStream.rangeClosed(1, 40)
        .mapToObj(s -> String.join("\n", FaultSchedule.draw(
            new io.quorumkv.node.emul.EmulatedNetwork(s, io.quorumkv.node.NodeConfig.local())
                .newRandom(), Simulation.addresses(), Simulation.FAULT_MILLIS).describe()))
        .toList());
    for (String kind : new String[] {"loss", "delay", "duplicate", "partition", "one-way",
        "crash", "restart", "heal partitions", "clock of"}) {
      assertTrue(all.contains(kind), "no schedule of 40 has " + kind);
    }
  }
}
