package io.quorumkv.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quorumkv.client.ClientMain;
import io.quorumkv.common.wire.Address;
import io.quorumkv.common.wire.StatusReply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * kvclient bench on four real nodes: a preloaded mixed run has no errors and no misses, its
 * requests and answers travel coalesced, and routing by key lets only replicas of each key
 * coordinate it, which routing to one node does not.
 */
class BenchTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void routesToReplicasAndFindsEveryPreloadedKey() throws Exception {
    try (LocalCluster cluster = new LocalCluster("bench", 4)) {
      cluster.startAll();
      List<Address> all = new ArrayList<>();
      for (int i = 1; i <= 4; i++) {
        all.add(cluster.address(i));
      }
      await().atMost(cluster.startupBound()).pollInterval(Duration.ofMillis(100))
          .until(() -> all.stream().allMatch(a -> cluster.sees(all.indexOf(a) + 1, all)));

      JsonNode byKey = bench(cluster, "--route", "key", "--preload", "--keys", "2000",
          "--requests", "4000", "--mix", "put:50,read:50");
      assertEquals(0, byKey.get("errors").asLong(), byKey::toString);
      assertEquals(2000, byKey.at("/preload/ok").asLong(), byKey::toString);
      assertEquals(4000, byKey.at("/run/ok").asLong(), "every read found its key: " + byKey);
      assertEquals(0, notAReplica(cluster), "each request went to a replica of its key");
      assertEquals(0, byKey.at("/run/ignoredDatagrams").asLong(), byKey::toString);
      assertTrue(sum(cluster, "outbox.answer-bundles") > 0,
          "the bench coalesces its requests, and the nodes their answers to it");

      JsonNode first = bench(cluster, "--route", "first", "--keys", "2000", "--requests", "400",
          "--mix", "read:1");
      assertEquals(400, first.at("/run/ok").asLong(), first::toString);
      // Node 1 holds 3 of every 4 keys' copies: about a quarter of its requests are not its own.
      long remote = notAReplica(cluster);
      assertTrue(remote > 40 && remote < 200, "requests node 1 coordinated without a copy: "
          + remote);
    }
  }

  private static JsonNode bench(LocalCluster cluster, String... options) throws Exception {
    List<String> argv = new ArrayList<>(List.of("-n", cluster.address(1).toString(), "bench",
        "--json", "--in-flight", "16", "--seed", "11"));
    argv.addAll(List.of(options));
    ToolRun run = ToolRun.of(ClientMain::run, argv.toArray(String[]::new));
    assertEquals(0, run.status(), run::toString);
    return JSON.readTree(run.out());
  }

  private static long notAReplica(LocalCluster cluster) {
    return sum(cluster, "kv.coordinator.not-a-replica");
  }

  private static long sum(LocalCluster cluster, String counter) {
    long sum = 0;
    for (int i = 1; i <= 4; i++) {
      StatusReply status = cluster.status(i).orElseThrow();
      sum += status.counters().getOrDefault(counter, 0L);
    }
    return sum;
  }
}
