package io.quorumkv.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorumkv.common.wire.Address;
import io.quorumkv.common.wire.MemberState;
import io.quorumkv.common.wire.MemberStatus;
import io.quorumkv.node.NodeConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * SWIM membership on real processes: five kvnode JVMs on loopback find each other through their
 * seeds, notice a SIGKILL within the bound the local preset implies, take a restarted node back,
 * and keep admitting new nodes while the first seed is dead.
 */
class MembershipTest {

  private static final Duration POLL = Duration.ofMillis(100);

  @Test
  void killedNodeIsDeclaredDeadEverywhereInTimeAndRejoinsAfterRestart() throws Exception {
    try (LocalCluster cluster = new LocalCluster("kill-restart", 5)) {
      cluster.startAll();
      List<Address> all = addresses(cluster, 1, 2, 3, 4, 5);
      awaitEveryoneSees(cluster, List.of(1, 2, 3, 4, 5), all, cluster.startupBound());

      Address victim = cluster.address(3);
      long killedAt = cluster.kill(3);
      long bound = NodeConfig.local().detectionBoundMillis(5);
      List<Integer> survivors = List.of(1, 2, 4, 5);
      // Each survivor writes its own "removed" event; wait for all of them, then check the times.
      await().atMost(Duration.ofMillis(bound + 10_000)).pollInterval(POLL).until(() -> {
        for (int i : survivors) {
          if (cluster.removalTimes(i, victim).isEmpty()) {
            return false;
          }
        }
        return true;
      });
      for (int i : survivors) {
        List<Long> times = cluster.removalTimes(i, victim);
        assertEquals(1, times.size(), "node " + i + " removed the victim once: " + times);
        long took = times.get(0) - killedAt;
        assertTrue(took <= bound, "node " + i + " declared the victim dead after " + took
            + " ms, bound " + bound + " ms");
        assertEquals(MemberState.DEAD, cluster.view(i).orElseThrow().get(victim).state());
      }

      long oldGeneration = cluster.view(1).orElseThrow().get(victim).generation();
      cluster.start(3);
      awaitEveryoneSees(cluster, List.of(1, 2, 3, 4, 5), all, cluster.startupBound());
      for (int i = 1; i <= 5; i++) {
        MemberStatus back = cluster.view(i).orElseThrow().get(victim);
        assertTrue(back.generation() > oldGeneration,
            "node " + i + " sees the restarted node's new generation: " + back);
      }
    }
  }

  @Test
  void newNodesJoinThroughAnotherSeedWhileTheFirstSeedIsDead() throws Exception {
    try (LocalCluster cluster = new LocalCluster("seed-down", 5)) {
      for (int i = 1; i <= 4; i++) {
        cluster.start(i);
      }
      awaitEveryoneSees(cluster, List.of(1, 2, 3, 4), addresses(cluster, 1, 2, 3, 4),
          cluster.startupBound());

      cluster.kill(1);
      List<Address> rest = addresses(cluster, 2, 3, 4);
      awaitEveryoneSees(cluster, List.of(2, 3, 4), rest,
          Duration.ofMillis(NodeConfig.local().detectionBoundMillis(4) + 10_000));

      cluster.start(5); // its seed list still starts with the dead node 1
      awaitEveryoneSees(cluster, List.of(2, 3, 4, 5), addresses(cluster, 2, 3, 4, 5),
          cluster.startupBound());
    }
  }

  private static List<Address> addresses(LocalCluster cluster, int... nodes) {
    List<Address> out = new ArrayList<>();
    for (int i : nodes) {
      out.add(cluster.address(i));
    }
    return out;
  }

  private static void awaitEveryoneSees(LocalCluster cluster, List<Integer> observers,
      List<Address> expected, Duration within) {
    await().atMost(within).pollInterval(POLL).until(() -> {
      for (int i : observers) {
        if (!cluster.sees(i, expected)) {
          return false;
        }
      }
      return true;
    });
  }
}
