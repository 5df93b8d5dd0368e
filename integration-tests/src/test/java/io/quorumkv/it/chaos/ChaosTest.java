package io.quorumkv.it.chaos;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorumkv.common.wire.Consistency;
import io.quorumkv.common.wire.KvOp;
import io.quorumkv.node.check.History;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The short chaos run: the same as {@code scripts/chaos.sh --duration 35}, on five real kvnode
 * processes with their records on disk, with a fixed seed ({@code -Dqkv.chaos.seed=S} for
 * another). Its goal: under kills, restarts, pauses, resumes and a crash of the whole cluster
 * the recorded history keeps every guarantee, no acknowledged write lost. So that it cannot
 * pass by doing nothing, it also asks that the nemesis did each of those at least once, that
 * the clients got many operations through (quorum writes and reads among them), and that no
 * node process it started is left running.
 */
class ChaosTest {

  static final long FAULT_SECONDS = 35;
  /** Far below what two cores do (about 200 operations a second), far above nothing. */
  static final long MIN_OK_PER_SECOND = 20;

  @Test
  void historyKeepsEveryGuaranteeUnderKillsPausesAndRestarts() throws Exception {
    long seed = Long.getLong("qkv.chaos.seed", 5);
    ChaosResult r = ChaosRun.run(new ChaosRun.Options(FAULT_SECONDS * 1000, seed,
        Path.of(System.getProperty("kvnode.jar")), Path.of("target", "it-runs", "chaos"), true),
        System.out);
    String rerun = "scripts/chaos.sh --duration " + FAULT_SECONDS + " --seed " + seed
        + " (or mvn -B -o -pl integration-tests -am verify -Dtest=ChaosTest"
        + " -Dsurefire.failIfNoSpecifiedTests=false -Dqkv.chaos.seed=" + seed + ")";
    String report = String.join("\n", r.summary()) + "\n" + String.join("\n", r.report(rerun));
    assertTrue(r.ok(), report);
    for (Nemesis.Kind kind : Nemesis.Kind.values()) {
      assertTrue(r.actionCount(kind) >= 1, "the nemesis never did " + kind + "\n" + report);
    }
    assertTrue(r.count(History.Outcome.OK) >= MIN_OK_PER_SECOND * FAULT_SECONDS,
        "too few operations succeeded\n" + report);
    assertTrue(okCount(r, true) > 0 && okCount(r, false) > 0,
        "no acknowledged quorum write or read to check\n" + report);
    for (long pid : r.pids()) {
      assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false),
          "node process " + pid + " is still running");
    }
  }

  private static long okCount(ChaosResult r, boolean writes) {
    return r.history().stream().filter(o -> o.isOk() && o.consistency() == Consistency.QUORUM
        && (o.op() != KvOp.READ) == writes).count();
  }
}
