package io.quorumkv.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quorumkv.common.time.Version;
import io.quorumkv.common.wire.Address;
import io.quorumkv.common.wire.Consistency;
import io.quorumkv.common.wire.KvLimits;
import io.quorumkv.common.wire.KvOp;
import io.quorumkv.common.wire.KvReply;
import io.quorumkv.common.wire.KvRequest;
import io.quorumkv.common.wire.KvStatus;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The key-value commands of the CLI against a fake coordinator: output, exit codes, wire. */
class KvCommandsTest {

  private static final List<Address> REPLICAS = List.of(new Address("127.0.0.1", 7003),
      new Address("127.0.0.1", 7001), new Address("127.0.0.1", 7002));

  @Test
  void everyCommandDoesWhatItSaysWithItsExitCode() throws Exception {
    FakeStore store = new FakeStore(REPLICAS);
    try (FakeNode node = FakeNode.storing(store)) {
      String n = node.address().toString();

      assertRun(1, "", "kvclient: key 'k' not found\n", CliRun.of("-n", n, "read", "k"));
      assertRun(1, "", "kvclient: key 'k' not found\n", CliRun.of("-n", n, "update", "k", "x"));
      assertRun(1, "", "kvclient: key 'k' not found\n", CliRun.of("-n", n, "delete", "k"));
      assertRun(0, "", "", CliRun.of("-n", n, "create", "k", "v1"));
      assertRun(1, "", "kvclient: key 'k' already exists\n",
          CliRun.of("-n", n, "create", "k", "other"));
      assertRun(0, "v1\n", "", CliRun.of("-n", n, "read", "k"));
      assertRun(0, "", "", CliRun.of("-n", n, "update", "k", "v2"));
      assertRun(0, "v2\n", "", CliRun.of("-n", n, "get", "k"));
      assertRun(0, "", "", CliRun.of("-n", n, "put", "k", "v3"));
      assertRun(0, "", "", CliRun.of("put", "fresh", "new", "-n", n));
      assertRun(0, "v3\n", "", CliRun.of("read", "k", "--nodes", n));
      assertRun(0, "", "", CliRun.of("-n", n, "delete", "k"));
      assertRun(1, "", "kvclient: key 'k' not found\n", CliRun.of("-n", n, "get", "k"));

      assertEquals(Map.of("fresh", "new"), store.values());
      assertEquals(List.of(KvOp.READ, KvOp.UPDATE, KvOp.DELETE, KvOp.CREATE, KvOp.CREATE,
          KvOp.READ, KvOp.UPDATE, KvOp.READ, KvOp.PUT, KvOp.PUT, KvOp.READ, KvOp.DELETE,
          KvOp.READ), node.kvRequestsUnstamped().stream().map(KvRequest::op).toList());
    }
  }

  @Test
  void readPrintsTheValueAloneEvenWithSpacesAndNewlines() throws Exception {
    FakeStore store = new FakeStore(REPLICAS);
    try (FakeNode node = FakeNode.storing(store)) {
      String n = node.address().toString();
      assertRun(0, "", "", CliRun.of("-n", n, "put", "k", "two words\nand a line é"));

      assertRun(0, "two words\nand a line é\n", "", CliRun.of("-n", n, "read", "k"));
    }
  }

  @Test
  void dashReadsTheValueFromStdinWithoutOneTrailingNewline() throws Exception {
    FakeStore store = new FakeStore(REPLICAS);
    try (FakeNode node = FakeNode.storing(store)) {
      String n = node.address().toString();

      assertRun(0, "", "", CliRun.withStdin("from stdin\n", "-n", n, "put", "a", "-"));
      assertRun(0, "", "", CliRun.withStdin("two\n\n", "-n", n, "create", "b", "-"));
      assertRun(0, "", "", CliRun.withStdin("no newline", "-n", n, "put", "c", "-"));
      assertRun(0, "", "", CliRun.withStdin("", "-n", n, "put", "d", "-"));
      assertRun(0, "", "", CliRun.withStdin("crlf\r\n", "-n", n, "put", "e", "-"));

      assertEquals(Map.of("a", "from stdin", "b", "two\n", "c", "no newline", "d", "",
          "e", "crlf\r"), store.values());
    }
  }

  @Test
  void aDashKeyOrValueAfterDoubleDashIsLiteral() throws Exception {
    FakeStore store = new FakeStore(REPLICAS);
    try (FakeNode node = FakeNode.storing(store)) {
      assertRun(0, "", "", CliRun.of("-n", node.address().toString(), "put", "--", "-k", "-5"));

      assertEquals(Map.of("-k", "-5"), store.values());
    }
  }

  @Test
  void consistencyAndTimeoutReachTheWire() throws Exception {
    try (FakeNode node = FakeNode.storing(new FakeStore(REPLICAS))) {
      String n = node.address().toString();
      CliRun.of("-n", n, "put", "k", "v");
      CliRun.of("-n", n, "--consistency", "all", "--timeout", "750", "read", "k");
      CliRun.of("-n", n, "delete", "k", "--consistency", "ONE", "--timeout", "60000");

      List<KvRequest> seen = node.kvRequestsUnstamped();
      assertEquals(new KvRequest(KvOp.PUT, "k", "v", Consistency.QUORUM, 0), seen.get(0));
      assertEquals(new KvRequest(KvOp.READ, "k", "", Consistency.ALL, 750), seen.get(1));
      assertEquals(new KvRequest(KvOp.DELETE, "k", "", Consistency.ONE, 60_000), seen.get(2));
    }
  }

  @ParameterizedTest(name = "{0} -> exit {1}")
  @CsvSource({
      "unavailable, 3, 'kvclient: unavailable: quorum not reached: 1 of 2 replicas answered'",
      "overloaded, 3, 'kvclient: overloaded: quorum not reached: 1 of 2 replicas answered'",
      "invalid, 2, 'kvclient: invalid request: quorum not reached: 1 of 2 replicas answered'",
      "exists, 1, 'kvclient: quorum not reached: 1 of 2 replicas answered'",
  })
  void coordinatorFailuresMapToExitCodes(String status, int exit, String message)
      throws Exception {
    KvReply reply = new KvReply(KvStatus.fromWire(status), "", Version.ZERO,
        "quorum not reached: 1 of 2 replicas answered");
    try (FakeNode node = FakeNode.replying(reply)) {
      CliRun run = CliRun.of("-n", node.address().toString(), "create", "k", "v");

      assertRun(exit, "", message + "\n", run);
      assertEquals(1, node.requests(), "a coordinator's answer is final: no retry");
    }
  }

  @Test
  void noNodeAnsweringExitsThree() throws Exception {
    try (SilentNode silent = new SilentNode()) {
      CliRun run = CliRun.of("-n", silent.address().toString(), "--attempt-timeout", "100",
          "--attempts", "1", "put", "k", "v");

      assertRun(3, "", "kvclient: no node answered: " + silent.address()
          + " (1 attempt of 100 ms each)\n", run);
    }
  }

  @Test
  void theAttemptWaitsLongerThanTheCoordinatorsDeadline() throws Exception {
    try (SilentNode silent = new SilentNode()) {
      CliRun run = CliRun.of("-n", silent.address().toString(), "--timeout", "100",
          "--attempts", "1", "read", "k");

      assertRun(3, "", "kvclient: no node answered: " + silent.address()
          + " (1 attempt of " + (100 + ClientConfig.KV_ATTEMPT_MARGIN_MILLIS) + " ms each)\n",
          run);
    }
  }

  @Test
  void tooLargeKeysAndValuesExitTwoWithNothingSent() throws Exception {
    try (FakeNode node = FakeNode.storing(new FakeStore(REPLICAS))) {
      String n = node.address().toString();
      String bigKey = "k".repeat(KvLimits.MAX_KEY_BYTES + 1);
      String bigValue = "é".repeat(KvLimits.MAX_VALUE_BYTES / 2 + 1);

      assertRun(2, "", "kvclient: key is 257 bytes, at most 256 allowed\n",
          CliRun.of("-n", n, "read", bigKey));
      assertRun(2, "", "kvclient: value is 4098 bytes, at most 4096 allowed\n",
          CliRun.of("-n", n, "put", "k", bigValue));
      assertRun(2, "", "kvclient: value is 4097 bytes, at most 4096 allowed\n",
          CliRun.withStdin("x".repeat(4097), "-n", n, "put", "k", "-"));
      assertRun(2, "", "kvclient: the value on standard input is longer than the 4096 bytes "
          + "allowed\n", CliRun.withStdin("x".repeat(100_000), "-n", n, "put", "k", "-"));
      assertRun(2, "", "kvclient: key must not be empty\n", CliRun.of("-n", n, "create", "", "v"));
      assertRun(2, "", "kvclient: key is 257 bytes, at most 256 allowed\n",
          CliRun.of("-n", n, "locate", bigKey));

      assertEquals(0, node.requests());
    }
  }

  @Test
  void theLargestValueGoesThrough() throws Exception {
    FakeStore store = new FakeStore(REPLICAS);
    try (FakeNode node = FakeNode.storing(store)) {
      String value = "v".repeat(KvLimits.MAX_VALUE_BYTES);
      assertRun(0, "", "", CliRun.withStdin(value + "\n", "-n", node.address().toString(),
          "put", "k", "-"));

      assertEquals(value, store.values().get("k"));
    }
  }

  @Test
  void jsonPrintsOneObjectPerCommand() throws Exception {
    try (FakeNode node = FakeNode.storing(new FakeStore(REPLICAS))) {
      String n = node.address().toString();
      ObjectMapper mapper = new ObjectMapper();

      CliRun put = CliRun.of("-n", n, "--json", "put", "k", "v");
      assertEquals(0, put.exitCode(), put::toString);
      JsonNode written = mapper.readTree(put.out());
      assertEquals("ok", written.get("status").asText());
      assertTrue(written.get("value").isNull());
      assertEquals(1, written.get("version").get("timestamp").asLong());
      assertEquals(n, written.get("version").get("writer").asText());

      JsonNode read = mapper.readTree(CliRun.of("-n", n, "--json", "read", "k").out());
      assertEquals("ok", read.get("status").asText());
      assertEquals("k", read.get("key").asText());
      assertEquals("v", read.get("value").asText());
      assertTrue(read.get("reason").isNull());

      CliRun missing = CliRun.of("-n", n, "read", "nope", "--json");
      assertEquals(1, missing.exitCode());
      JsonNode notFound = mapper.readTree(missing.out());
      assertEquals("not-found", notFound.get("status").asText());
      assertTrue(notFound.get("version").isNull());
      assertEquals("key 'nope' not found", notFound.get("reason").asText());
      assertEquals("kvclient: key 'nope' not found\n", missing.err());
    }
  }

  @Test
  void locatePrintsTheReplicasInOrder() throws Exception {
    try (FakeNode node = FakeNode.storing(new FakeStore(REPLICAS))) {
      String n = node.address().toString();

      assertRun(0, "127.0.0.1:7003\n127.0.0.1:7001\n127.0.0.1:7002\n", "",
          CliRun.of("-n", n, "locate", "k"));
      CliRun json = CliRun.of("-n", n, "--json", "locate", "k");
      assertEquals(0, json.exitCode(), json::toString);
      JsonNode array = new ObjectMapper().readTree(json.out());
      assertEquals(List.of("127.0.0.1:7003", "127.0.0.1:7001", "127.0.0.1:7002"),
          List.of(array.get(0).asText(), array.get(1).asText(), array.get(2).asText()));
      assertEquals(3, array.size());
    }
  }

  private static void assertRun(int exit, String out, String err, CliRun run) {
    assertEquals(exit, run.exitCode(), run::toString);
    assertEquals(out, run.out(), run::toString);
    assertEquals(err, run.err(), run::toString);
  }
}
