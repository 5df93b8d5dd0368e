package io.quorumkv.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorumkv.client.ClientConfig;
import io.quorumkv.client.KvClient;
import io.quorumkv.client.KvClientException;
import io.quorumkv.client.KvOptions;
import io.quorumkv.client.KvResult;
import io.quorumkv.common.ring.HashRing;
import io.quorumkv.common.wire.Address;
import io.quorumkv.common.wire.Consistency;
import io.quorumkv.common.wire.KvOp;
import io.quorumkv.node.NodeConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Durable nodes ({@code --data-dir}) on real processes: every acknowledged write survives SIGKILL
 * of all five nodes at once, and a node killed and restarted alone serves its own copies at once
 * (before anyone could refill it) and is taken back as alive for good.
 */
class DurabilityTest {

  private static final int LOADERS = 8;

  @Test
  void everyAcknowledgedKeyReadsBackAfterAllFiveNodesAreKilled() throws Exception {
    try (LocalCluster cluster = startDurable("durability-all")) {
      List<String> keys = keys("key-", 10_000);
      long loadStart = System.nanoTime();
      List<String> acked = run(cluster, keys, KvOp.PUT, Consistency.QUORUM);
      System.out.printf("%d of %d puts acknowledged in %d ms%n", acked.size(), keys.size(),
          (System.nanoTime() - loadStart) / 1_000_000);
      assertTrue(acked.size() >= 9_900, "a healthy cluster acknowledges nearly every put, got "
          + acked.size());

      cluster.killAll();
      for (int i = 1; i <= 5; i++) {
        cluster.start(i);
      }
      // Straight from the disks, before any stabilization: every acknowledged key is on at
      // least the two replicas whose acknowledgements made the quorum.
      long stored = 0;
      for (int i = 1; i <= 5; i++) {
        stored += awaitStoredKeys(cluster, i);
      }
      assertTrue(stored >= 2L * acked.size(), stored + " records stored for " + acked.size()
          + " acknowledged keys");
      awaitAllAlive(cluster);
      long readStart = System.nanoTime();
      List<String> missing = new ArrayList<>(acked);
      missing.removeAll(new java.util.HashSet<>(run(cluster, acked, KvOp.READ,
          Consistency.QUORUM)));
      System.out.printf("%d keys read back in %d ms%n", acked.size() - missing.size(),
          (System.nanoTime() - readStart) / 1_000_000);
      assertEquals(List.of(), missing.subList(0, Math.min(10, missing.size())),
          missing.size() + " acknowledged keys did not read back their value");
    }
  }

  @Test
  void aKilledNodeComesBackWithItsOwnCopiesAndStaysAlive() throws Exception {
    try (LocalCluster cluster = startDurable("durability-one")) {
      List<String> keys = keys("k", 300);
      // At ALL, so that node 3 surely holds every key it owns.
      assertEquals(keys.size(), run(cluster, keys, KvOp.PUT, Consistency.ALL).size());
      List<Address> members = new ArrayList<>();
      for (int i = 1; i <= 5; i++) {
        members.add(cluster.address(i));
      }
      HashRing ring = HashRing.of(members, NodeConfig.local().kv().vnodesPerMember());
      List<String> owned = keys.stream()
          .filter(k -> ring.preferenceList(k, 3).contains(cluster.address(3))).toList();
      long before = awaitStoredKeys(cluster, 3);
      assertEquals(owned.size(), before, "node 3 holds exactly the keys it owns");

      cluster.kill(3);
      cluster.start(3);
      assertEquals(before, awaitStoredKeys(cluster, 3), "its records, read from its disk");
      awaitAllAlive(cluster);
      // Its new generation outranks gossip about its previous life: nobody takes it for dead.
      await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
          .pollInterval(Duration.ofMillis(200)).until(() -> allSeeAll(cluster));
      try (KvClient only3 = KvClient.open(List.of(cluster.address(3)), new ClientConfig(1000, 3)
          .withKvOptions(new KvOptions(Consistency.ONE, 0)))) {
        for (String k : owned) {
          KvResult r = only3.read(k);
          assertTrue(r.isOk(), k + ": " + r);
          assertEquals("value-" + k, r.value(), k);
        }
      }
    }
  }

  @Test
  void aNodeKilledWhileWritesGoOnCatchesUpOnThemAfterItsRestart() throws Exception {
    try (LocalCluster cluster = startDurable("durability-catch-up")) {
      List<Address> members = new ArrayList<>();
      for (int i = 1; i <= 5; i++) {
        members.add(cluster.address(i));
      }
      HashRing ring = HashRing.of(members, NodeConfig.local().kv().vnodesPerMember());
      cluster.kill(3);
      // Written while node 3 is down: it misses its share of these.
      List<String> missed = run(cluster, keys("m", 200), KvOp.PUT, Consistency.QUORUM);
      assertTrue(missed.size() > 150, missed.size() + " writes acknowledged without node 3");
      List<String> owned = missed.stream()
          .filter(k -> ring.preferenceList(k, 3).contains(cluster.address(3))).toList();
      cluster.start(3);
      awaitAllAlive(cluster);
      // A read at ONE through node 3 answers from its own copy first: it must catch up (hints,
      // stabilization of its new generation, anti-entropy), within a few seconds.
      try (KvClient only3 = KvClient.open(List.of(cluster.address(3)), new ClientConfig(1000, 3)
          .withKvOptions(new KvOptions(Consistency.ONE, 0)))) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
            .until(() -> owned.stream().allMatch(k -> {
              try {
                KvResult r = only3.read(k);
                return r.isOk() && r.value().equals("value-" + k);
              } catch (KvClientException e) {
                return false;
              }
            }));
      }
    }
  }

  /** Five durable nodes, started, every one seeing all five alive. */
  private static LocalCluster startDurable(String name) throws Exception {
    LocalCluster cluster = new LocalCluster(name, 5).withDataDirectories();
    try {
      cluster.startAll();
      awaitAllAlive(cluster);
      return cluster;
    } catch (Exception | Error e) {
      cluster.close(); // its nodes must not outlive the test
      throw e;
    }
  }

  private static List<String> keys(String prefix, int count) {
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      keys.add(prefix + String.format("%05d", i));
    }
    return keys;
  }

  /**
   * Runs {@code op} on every key from {@link #LOADERS} clients at once, each with its own socket
   * and first node; a write's value is "value-KEY". Returns the keys whose write was
   * acknowledged, or for reads, whose value came back right.
   */
  private static List<String> run(LocalCluster cluster, List<String> keys, KvOp op,
      Consistency consistency) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(LOADERS);
    try {
      List<Callable<List<String>>> tasks = new ArrayList<>();
      for (int t = 0; t < LOADERS; t++) {
        int first = t;
        tasks.add(() -> runShare(cluster, keys, first, op, consistency));
      }
      List<String> done = new ArrayList<>();
      for (Future<List<String>> f : pool.invokeAll(tasks)) {
        done.addAll(f.get());
      }
      Collections.sort(done);
      return done;
    } finally {
      pool.shutdownNow();
    }
  }

  private static List<String> runShare(LocalCluster cluster, List<String> keys, int share,
      KvOp op, Consistency consistency) throws Exception {
    List<Address> nodes = new ArrayList<>();
    for (int i = 0; i < cluster.size(); i++) {
      nodes.add(cluster.address(1 + (share + i) % cluster.size()));
    }
    List<String> ok = new ArrayList<>();
    ClientConfig config = new ClientConfig(1000, 2)
        .withKvOptions(new KvOptions(consistency, 0));
    try (KvClient client = KvClient.open(nodes, config)) {
      for (int i = share; i < keys.size(); i += LOADERS) {
        String key = keys.get(i);
        KvResult r;
        try {
          r = client.execute(op, key, op == KvOp.READ ? "" : "value-" + key, config.kvOptions());
        } catch (KvClientException e) {
          continue; // no answer: not acknowledged
        }
        if (r.isOk() && (op != KvOp.READ || r.value().equals("value-" + key))) {
          ok.add(key);
        }
      }
    }
    return ok;
  }

  /** Node {@code i}'s {@code storage.keys}, as soon as it answers. */
  private static long awaitStoredKeys(LocalCluster cluster, int i) throws Exception {
    try (KvClient client = KvClient.open(List.of(cluster.address(i)), new ClientConfig(200, 1))) {
      long[] keys = {-1};
      await().atMost(cluster.startupBound()).pollInterval(Duration.ofMillis(50)).until(() -> {
        try {
          keys[0] = client.status(cluster.address(i)).counters().get("storage.keys");
          return true;
        } catch (KvClientException e) {
          return false;
        }
      });
      return keys[0];
    }
  }

  private static void awaitAllAlive(LocalCluster cluster) {
    await().atMost(cluster.startupBound()).pollInterval(Duration.ofMillis(100))
        .until(() -> allSeeAll(cluster));
  }

  private static boolean allSeeAll(LocalCluster cluster) {
    List<Address> all = new ArrayList<>();
    for (int i = 1; i <= cluster.size(); i++) {
      all.add(cluster.address(i));
    }
    for (int i = 1; i <= cluster.size(); i++) {
      if (!cluster.sees(i, all)) {
        return false;
      }
    }
    return true;
  }
}
