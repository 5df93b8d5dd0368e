package io.quorumkv.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quorumkv.common.time.Version;
import io.quorumkv.common.wire.KvOp;
import io.quorumkv.common.wire.KvReply;
import io.quorumkv.common.wire.KvRequest;
import io.quorumkv.common.wire.KvStatus;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** kvclient bench against fake nodes: what it sends, counts and reports. */
class BenchCommandTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void preloadsEveryKeyThenRunsTheMixWithoutErrors() throws Exception {
    try (FakeNode node = FakeNode.storing(new FakeStore(java.util.List.of()))) {
      CliRun run = CliRun.of("-n", node.address().toString(), "bench", "--route", "first",
          "--keys", "200", "--preload", "--mix", "put:30,read:70", "--requests", "1000",
          "--in-flight", "8", "--seed", "7", "--json");

      assertEquals(0, run.exitCode(), run::toString);
      JsonNode report = JSON.readTree(run.out());
      assertEquals(200, report.at("/preload/requests").asLong());
      assertEquals(200, report.at("/preload/ok").asLong());
      assertEquals(1000, report.at("/run/requests").asLong());
      assertEquals(1000, report.at("/run/ok").asLong(), "every read finds its preloaded key");
      assertEquals(0, report.at("/run/misses").asLong());
      assertEquals(0, report.get("errors").asLong());
      assertEquals(1000, report.at("/run/latencyMicros/all/count").asLong());
      long puts = report.at("/run/latencyMicros/put/count").asLong();
      assertTrue(puts > 200 && puts < 400, "about 30% puts: " + puts);
      assertTrue(report.at("/run/latencyMicros/all/p50").asDouble()
          <= report.at("/run/latencyMicros/all/p99").asDouble());

      // The node saw the preload's keys once each, then the run; every write stamped, 16-byte
      // keys, 100-byte values.
      Set<String> preloaded = new HashSet<>();
      for (KvRequest r : node.kvRequests().subList(0, 200)) {
        assertEquals(KvOp.PUT, r.op());
        assertTrue(preloaded.add(r.key()));
      }
      for (KvRequest r : node.kvRequests()) {
        assertEquals(16, r.key().length());
        assertEquals(r.op() == KvOp.PUT ? 100 : 0, r.value().length());
        assertEquals(r.op() == KvOp.PUT, r.timestamp() != 0);
      }
      assertEquals(1200, node.requests());
    }
  }

  /**
   * With many in flight, the requests of one turn leave as one datagram per node, and answers
   * bundled alike are read; {@code --no-coalesce} sends every request alone.
   */
  @Test
  void coalescesTheRequestsOfATurnPerNodeUnlessToldNot() throws Exception {
    for (boolean coalesce : new boolean[] {true, false}) {
      try (FakeNode node = FakeNode.storing(new FakeStore(java.util.List.of()))) {
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("-n",
            node.address().toString(), "bench", "--route", "first", "--keys", "100",
            "--mix", "put:1,read:1", "--requests", "2000", "--in-flight", "16", "--seed", "3",
            "--json"));
        if (!coalesce) {
          args.add("--no-coalesce");
        }
        CliRun run = CliRun.of(args.toArray(String[]::new));

        assertEquals(0, run.exitCode(), run::toString);
        JsonNode report = JSON.readTree(run.out());
        assertEquals(coalesce, report.at("/spec/coalesce").asBoolean());
        assertEquals(2000, report.at("/run/ok").asLong() + report.at("/run/misses").asLong());
        assertEquals(0, report.at("/run/retries").asLong(), "no answer lost in a bundle");
        assertEquals(0, report.at("/run/ignoredDatagrams").asLong(), "every part read");
        assertEquals(2000, node.requests(), "each request once");
        if (coalesce) {
          assertTrue(node.bundles() > 0, "some turns sent several requests");
          assertTrue(node.bundles() < 2000, node.bundles() + " bundles");
        } else {
          assertEquals(0, node.bundles());
        }
      }
    }
  }

  @Test
  void warmsUpWithTheMixBeforeTheMeasuredRunAndReportsItApart() throws Exception {
    try (FakeNode node = FakeNode.storing(new FakeStore(java.util.List.of()))) {
      CliRun run = CliRun.of("-n", node.address().toString(), "bench", "--route", "first",
          "--keys", "50", "--mix", "put:1", "--warmup", "1", "--requests", "300",
          "--rate", "2000", "--in-flight", "16", "--seed", "3", "--json");

      assertEquals(0, run.exitCode(), run::toString);
      JsonNode report = JSON.readTree(run.out());
      assertEquals(1000, report.at("/spec/warmupMillis").asLong());
      long warm = report.at("/warmup/requests").asLong();
      // A second at 2,000 a second at most (the fake node answers 10,000 in all); fewer only
      // if the fake node is slow, as on a loaded machine, so the lower bound is loose.
      assertTrue(warm > 200 && warm <= 2001, "the warm-up ran for its second: " + report);
      assertEquals(warm, report.at("/warmup/ok").asLong());
      // A phase is timed from its first send to its last answer: a little under its second.
      assertTrue(report.at("/warmup/seconds").asDouble() >= 0.9, report::toString);
      assertEquals(300, report.at("/run/requests").asLong(), "the warm-up is not measured");
      assertEquals(300, report.at("/run/latencyMicros/all/count").asLong());
      assertEquals(warm + 300, node.requests(), "warm-up first, then the run");
    }
  }

  @Test
  void warmupMustNotBeNegative() {
    CliRun run = CliRun.of("bench", "--warmup", "-1");
    assertEquals(2, run.exitCode(), run::toString);
    assertTrue(run.err().contains("--warmup"), run::toString);
  }

  @Test
  void countsErrorsByKindAndExitsUnavailable() throws Exception {
    KvReply refusal = new KvReply(KvStatus.OVERLOADED, "", Version.ZERO, "busy");
    try (FakeNode node = FakeNode.replying(refusal)) {
      CliRun run = CliRun.of("-n", node.address().toString(), "bench", "--route", "first",
          "--mix", "put:1", "--requests", "50", "--json");

      assertEquals(3, run.exitCode(), run::toString);
      JsonNode report = JSON.readTree(run.out());
      assertEquals(50, report.at("/run/errors/overloaded").asLong());
      assertEquals(0, report.at("/run/ok").asLong());
      assertEquals(50, report.get("errors").asLong());
    }
  }

  @Test
  void readsOfMissingKeysAreMissesNotErrors() throws Exception {
    try (FakeNode node = FakeNode.storing(new FakeStore(java.util.List.of()))) {
      CliRun run = CliRun.of("-n", node.address().toString(), "bench", "--route", "first",
          "--mix", "read:1", "--requests", "20", "--json");

      assertEquals(0, run.exitCode(), run::toString);
      JsonNode report = JSON.readTree(run.out());
      assertEquals(20, report.at("/run/misses").asLong());
      assertEquals(0, report.get("errors").asLong());
    }
  }

  @Test
  void resendsToTheNextNodeThenCountsATimeout() throws Exception {
    try (SilentNode silent = new SilentNode(); SilentNode other = new SilentNode()) {
      CliRun run = CliRun.of("-n", silent.address() + "," + other.address(), "bench", "--route",
          "first", "--mix", "put:1", "--requests", "3", "--in-flight", "3", "--attempts", "2",
          "--attempt-timeout", "100", "--json");

      assertEquals(3, run.exitCode(), run::toString);
      JsonNode report = JSON.readTree(run.out());
      assertEquals(3, report.at("/run/errors/timeout").asLong());
      assertEquals(3, report.at("/run/retries").asLong());
      assertTrue(report.at("/run/seconds").asDouble() >= 0.19,
          "two attempts of 100 ms each: " + report.at("/run"));
      assertTrue(report.at("/run/opsPerSecond").asLong() <= 16, report.at("/run").toString());
      assertEquals(3, silent.drainCount(), "first attempts go to the first node");
      assertEquals(3, other.drainCount(), "retries go to the next");
    }
  }

  @Test
  void printsAProgressLineAndAReadableSummary() throws Exception {
    try (FakeNode node = FakeNode.storing(new FakeStore(java.util.List.of()))) {
      CliRun run = CliRun.of("-n", node.address().toString(), "bench", "--route", "spread",
          "--mix", "put:1", "--duration", "2", "--rate", "100", "--in-flight", "4");

      assertEquals(0, run.exitCode(), run::toString);
      assertTrue(run.out().startsWith("bench: put:1, 100000 keys of 16 bytes (uniform), "
          + "100-byte values, 4 in flight, quorum, route spread over 1 members, 2.0 s, at most "
          + "100 ops/s\n"), run::toString);
      assertTrue(run.out().contains("\nrun         1 s "), run::toString);
      assertTrue(run.out().contains("errors 0\n"), run::toString);
      assertTrue(run.out().contains("\n  latency "), run::toString);
      int requests = node.requests();
      assertTrue(requests > 0 && requests <= 201, "the rate bounds the sends: " + requests);
    }
  }

  @Test
  void refusesBadOptionsWithAUsageError() {
    for (String[] args : new String[][] {
        {"bench", "--mix", "delete:1"},
        {"bench", "--mix", "put:0"},
        {"bench", "--duration", "1", "--requests", "5"},
        {"bench", "--distribution", "pareto"},
        {"bench", "--keys", "1000", "--key-size", "5"},
        {"bench", "--in-flight", "5000"},
        {"bench", "--route", "nearest"},
        {"bench", "--zipf-theta", "1.5", "--distribution", "zipfian"},
        {"bench", "extra"}}) {
      CliRun run = CliRun.of(args);
      assertEquals(2, run.exitCode(), run::toString);
      assertTrue(run.err().startsWith("kvclient: "), run::toString);
      assertEquals("", run.out(), run::toString);
    }
  }
}
