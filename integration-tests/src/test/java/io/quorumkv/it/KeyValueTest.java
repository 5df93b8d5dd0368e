package io.quorumkv.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorumkv.client.ClientMain;
import io.quorumkv.common.wire.Address;
import io.quorumkv.node.NodeConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The key-value store on five real kvnode processes, driven through the kvclient command line
 * (run in this JVM, so each command costs no JVM start): every command and its exit code, then
 * two replicas of a key killed with SIGKILL, after which the key is read back with its original
 * value and located on three live replicas again.
 */
class KeyValueTest {

  /** One kvclient invocation: exit code, stdout and stderr. */
  private record Run(int code, String out, String err) {
  }

  private static Run kvclient(LocalCluster cluster, List<Integer> nodes, String... args) {
    List<String> argv = new ArrayList<>();
    argv.add("-n");
    argv.add(String.join(",", nodes.stream().map(i -> cluster.address(i).toString()).toList()));
    argv.addAll(List.of(args));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = ClientMain.run(argv.toArray(String[]::new),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Run(code, out.toString(StandardCharsets.UTF_8),
        err.toString(StandardCharsets.UTF_8));
  }

  private static List<Address> locate(LocalCluster cluster, int via, String key) {
    Run r = kvclient(cluster, List.of(via), "--json", "locate", key);
    assertEquals(0, r.code(), r.err());
    List<Address> out = new ArrayList<>();
    for (String s : r.out().replaceAll("[\\[\\]\"\\s]", "").split(",")) {
      if (!s.isEmpty()) {
        out.add(Address.parse(s));
      }
    }
    return out;
  }

  @Test
  void everyCommandAndExitCodeThenTwoReplicasKilled() throws Exception {
    try (LocalCluster cluster = new LocalCluster("key-value", 5)) {
      cluster.startAll();
      List<Address> all = new ArrayList<>();
      for (int i = 1; i <= 5; i++) {
        all.add(cluster.address(i));
      }
      await().atMost(cluster.startupBound()).pollInterval(Duration.ofMillis(100)).until(() -> {
        for (int i = 1; i <= 5; i++) {
          if (!cluster.sees(i, all)) {
            return false;
          }
        }
        return true;
      });
      List<Integer> one = List.of(1);
      assertEquals(0, kvclient(cluster, one, "create", "fruit", "apple").code());
      Run exists = kvclient(cluster, List.of(2), "create", "fruit", "pear");
      assertEquals(1, exists.code());
      assertTrue(exists.err().contains("exists"), exists.err());
      Run read = kvclient(cluster, List.of(3), "read", "fruit");
      assertEquals(0, read.code(), read.err());
      assertEquals("apple\n", read.out(), "read prints the value alone");
      assertEquals(0, kvclient(cluster, List.of(4), "update", "fruit", "banana").code());
      assertEquals("banana\n", kvclient(cluster, List.of(5), "get", "fruit").out());
      assertEquals(1, kvclient(cluster, one, "update", "nothing-here", "x").code());
      assertEquals(1, kvclient(cluster, one, "read", "nothing-here").code());
      assertEquals(1, kvclient(cluster, one, "delete", "nothing-here").code());
      assertEquals(0, kvclient(cluster, one, "put", "veg", "leek").code());
      assertEquals(0, kvclient(cluster, one, "put", "veg", "kale").code());
      assertEquals(0, kvclient(cluster, List.of(2), "delete", "veg").code());
      assertEquals(1, kvclient(cluster, List.of(3), "read", "veg").code());
      assertEquals(0, kvclient(cluster, one, "--consistency", "all", "read", "fruit").code());
      assertEquals(2, kvclient(cluster, one, "create", "k".repeat(300), "v").code(),
          "a key over the limit is a usage error");
      assertEquals(2, kvclient(cluster, one, "frobnicate").code());
      List<Address> replicas = locate(cluster, 1, "fruit");
      assertEquals(3, replicas.size());

      // Kill two of the key's three replicas, keep a live node to ask.
      List<Integer> victims = new ArrayList<>();
      for (int i = 1; i <= 5 && victims.size() < 2; i++) {
        if (replicas.contains(cluster.address(i))) {
          victims.add(i);
        }
      }
      int survivor = 1;
      while (victims.contains(survivor)) {
        survivor++;
      }
      for (int v : victims) {
        cluster.kill(v);
      }
      List<Integer> alive = new ArrayList<>(List.of(1, 2, 3, 4, 5));
      alive.removeAll(victims);
      Run unavailable = kvclient(cluster, List.of(survivor), "read", "fruit");
      if (unavailable.code() != 0) {
        assertEquals(3, unavailable.code(), unavailable.err());
        assertTrue(unavailable.err().contains("quorum not reached"), unavailable.err());
      }
      // Within the bound the config implies, the key is located on three live replicas ...
      long bound = NodeConfig.local().detectionBoundMillis(5) + 5_000;
      int asked = survivor;
      await().atMost(Duration.ofMillis(bound)).pollInterval(Duration.ofMillis(200)).until(() -> {
        List<Address> now = locate(cluster, asked, "fruit");
        for (int v : victims) {
          if (now.contains(cluster.address(v))) {
            return false;
          }
        }
        return now.size() == 3;
      });
      // ... which all hold it: each replica logs a read success only if it holds the value.
      await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(200)).until(() -> {
        long ok = cluster.kvEvents("replica", "read", "success", "fruit");
        long fail = cluster.kvEvents("replica", "read", "fail", "fruit");
        Run all3 = kvclient(cluster, List.of(asked), "--consistency", "all", "read", "fruit");
        if (all3.code() != 0) {
          return false;
        }
        await().atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(50)).until(() ->
            cluster.kvEvents("replica", "read", "success", "fruit")
                + cluster.kvEvents("replica", "read", "fail", "fruit") - ok - fail >= 3);
        return cluster.kvEvents("replica", "read", "fail", "fruit") == fail;
      });
      Run back = kvclient(cluster, alive, "read", "fruit");
      assertEquals(0, back.code(), back.err());
      assertEquals("banana\n", back.out(), "the value written before the kills");
    }
  }
}
