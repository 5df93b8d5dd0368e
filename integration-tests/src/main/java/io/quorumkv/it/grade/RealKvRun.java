package io.quorumkv.it.grade;

import io.quorumkv.it.LocalCluster;
import io.quorumkv.node.grade.KvScenario;
import io.quorumkv.node.grade.KvScenario.Kind;
import java.nio.file.Path;
import java.util.List;

/**
 * One of the seed's key-value scenarios on 10 real kvnode processes ({@link RealTestbed}), with
 * 1 tick = 100 ms of wall-clock time: a 50-tick stabilization window is 5 s, in which the local
 * preset must detect a SIGKILLed node (at most 3 s) and re-replicate its keys. At the last tick
 * every node is killed, so that nothing more is logged.
 */
final class RealKvRun {

  private RealKvRun() {
  }

  static KvScenario.Result run(Kind kind, long seed, Path kvnodeJar, Path runDir, int ticks)
      throws Exception {
    try (LocalCluster cluster = new LocalCluster(kvnodeJar, runDir, KvScenario.NODES)) {
      try (RealTestbed bed = new RealTestbed(cluster, i -> List.of())) {
        KvScenario.Result result = KvScenario.run(kind, seed, bed, ticks);
        cluster.killAll();
        return result;
      }
    }
  }
}
