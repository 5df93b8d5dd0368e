package io.quorumkv.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorumkv.common.time.Version;
import io.quorumkv.common.wire.Address;
import io.quorumkv.common.wire.Consistency;
import io.quorumkv.common.wire.KvLimits;
import io.quorumkv.common.wire.KvOp;
import io.quorumkv.common.wire.KvReply;
import io.quorumkv.common.wire.KvRequest;
import io.quorumkv.common.wire.KvStatus;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The key-value side of {@link KvClient}: results, request ids across retries, validation. */
class KvClientOperationsTest {

  private static final List<Address> REPLICAS = List.of(new Address("127.0.0.1", 7001));

  /** Answers come at once from fakes, so a long wait costs nothing and tolerates slow machines. */
  private static final ClientConfig PATIENT = new ClientConfig(10_000, 1, 10_000,
      KvOptions.defaults());

  @Test
  void operationsReturnResultsForEveryAnswer() throws Exception {
    try (FakeNode node = FakeNode.storing(new FakeStore(REPLICAS));
        KvClient client = KvClient.open(List.of(node.address()), PATIENT)) {
      assertEquals(KvStatus.NOT_FOUND, client.read("k").status());
      KvResult created = client.create("k", "v1");
      assertTrue(created.isOk());
      assertEquals(new Version(1, node.address()), created.version());
      assertEquals(KvStatus.EXISTS, client.create("k", "v2").status());
      KvResult read = client.read("k");
      assertEquals("v1", read.value());
      assertEquals(new Version(1, node.address()), read.version());
      assertTrue(client.update("k", "v2").isOk());
      assertTrue(client.put("k", "v3").isOk());
      assertEquals("v3", client.read("k").value());
      assertTrue(client.delete("k").isOk());
      KvResult gone = client.delete("k");
      assertEquals(KvStatus.NOT_FOUND, gone.status());
      assertEquals("key 'k' not found", gone.reason());
      assertTrue(gone.sent());
      assertEquals(REPLICAS, client.locate("k").replicas());
    }
  }

  @Test
  void unavailableIsAResultNotAnException() throws Exception {
    try (FakeNode node = FakeNode.replying(new KvReply(KvStatus.UNAVAILABLE, "", Version.ZERO,
            "quorum not reached"));
        KvClient client = KvClient.open(List.of(node.address()), PATIENT)) {
      KvResult result = client.put("k", "v");

      assertEquals(KvStatus.UNAVAILABLE, result.status());
      assertEquals("quorum not reached", result.reason());
      assertEquals(1, node.requests());
    }
  }

  @Test
  void aRetryOnTheSameNodeKeepsTheRequestId() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    FakeStore store = new FakeStore(REPLICAS);
    // The first request is "lost": the fake answers only from the second on.
    try (FakeNode node = FakeNode.responding((self, request) -> calls.incrementAndGet() == 1
            ? List.of()
            : List.of(FakeNode.encode(self, request.requestId(),
                store.answer(self, request.message()))));
        KvClient client = KvClient.open(List.of(node.address()),
            new ClientConfig(1000, 3, 200, KvOptions.defaults()))) {
      assertTrue(client.put("k", "v").isOk());

      List<Long> ids = node.receivedIds();
      assertEquals(2, ids.size());
      assertEquals(ids.get(0), ids.get(1), "the retry reuses the request id");
    }
  }

  @Test
  void failoverToTheNextNodeKeepsTheRequestId() throws Exception {
    try (SilentNode silent = new SilentNode();
        FakeNode node = FakeNode.storing(new FakeStore(REPLICAS));
        KvClient client = KvClient.open(List.of(silent.address(), node.address()),
            new ClientConfig(1000, 2, 200, KvOptions.defaults()))) {
      assertTrue(client.put("k", "v").isOk());

      List<Long> silentIds = silent.drainIds();
      List<Long> answeringIds = node.receivedIds();
      assertEquals(2, silentIds.size(), "two attempts at the silent node");
      assertEquals(1, answeringIds.size());
      assertEquals(silentIds.get(0), silentIds.get(1));
      assertEquals(silentIds.get(0), answeringIds.get(0), "the same id on the next node");

      assertTrue(client.read("k").isOk());
      assertEquals(0, silent.drainIds().size(), "the node that answered last is asked first");
      assertNotEquals(answeringIds.get(0), node.receivedIds().get(1),
          "a new operation gets a new id");
    }
  }

  @Test
  void invalidRequestsAreRefusedWithoutSending() throws Exception {
    try (FakeNode node = FakeNode.storing(new FakeStore(REPLICAS));
        KvClient client = KvClient.open(List.of(node.address()), PATIENT)) {
      KvResult bigKey = client.read("k".repeat(KvLimits.MAX_KEY_BYTES + 1));
      KvResult bigValue = client.put("k", "v".repeat(KvLimits.MAX_VALUE_BYTES + 1));
      KvResult emptyKey = client.create("", "v");
      KvResult valueForRead = client.execute(KvOp.READ, "k", "v", KvOptions.defaults());
      // Within the byte limit, but every control character becomes six bytes of JSON.
      KvResult escapes = client.put("k", "\u0001".repeat(KvLimits.MAX_VALUE_BYTES));

      for (KvResult r : List.of(bigKey, bigValue, emptyKey, valueForRead, escapes)) {
        assertEquals(KvStatus.INVALID, r.status(), r::toString);
        assertFalse(r.sent(), r::toString);
      }
      assertEquals("key is 257 bytes, at most 256 allowed", bigKey.reason());
      assertEquals("value is 4097 bytes, at most 4096 allowed", bigValue.reason());
      assertEquals("read takes no value", valueForRead.reason());
      assertTrue(escapes.reason().startsWith("request too large once encoded"),
          escapes.reason());
      assertThrows(IllegalArgumentException.class, () -> client.locate(""));
      assertEquals(0, node.requests());
    }
  }

  @Test
  void aRefusalAfterARetryIsAmbiguousAndTheFirstAnswerIsNot() throws Exception {
    AtomicInteger seen = new AtomicInteger();
    KvReply exists = new KvReply(KvStatus.EXISTS, "", Version.ZERO, "key 'k' already exists");
    // Silent to the first datagram of each request, then "exists".
    try (FakeNode node = FakeNode.responding((self, request) -> seen.incrementAndGet() % 2 == 1
            ? List.of() : List.of(FakeNode.encode(self, request.requestId(), exists)));
        KvClient client = KvClient.open(List.of(node.address()),
            new ClientConfig(1000, 3, 200, KvOptions.defaults()))) {
      KvResult retried = client.create("k", "v");
      assertEquals(KvStatus.EXISTS, retried.status());
      assertTrue(retried.retried() && retried.isAmbiguous(), retried.toString());
    }
    try (FakeNode node = FakeNode.replying(exists);
        KvClient client = KvClient.open(List.of(node.address()), PATIENT)) {
      KvResult first = client.create("k", "v");
      assertTrue(!first.retried() && !first.isAmbiguous(), first.toString());
    }
  }

  @Test
  void writesAreStampedInTheOrderTheClientMakesThemReadsAreNot() throws Exception {
    try (FakeNode node = FakeNode.storing(new FakeStore(REPLICAS));
        KvClient client = KvClient.open(List.of(node.address()), PATIENT)) {
      client.put("k", "v1");
      client.read("k");
      client.put("k", "v2");
      client.delete("k");
      List<KvRequest> seen = node.kvRequests();
      assertEquals(0, seen.get(1).timestamp());
      assertTrue(Long.compareUnsigned(seen.get(0).timestamp(), seen.get(2).timestamp()) < 0);
      assertTrue(Long.compareUnsigned(seen.get(2).timestamp(), seen.get(3).timestamp()) < 0);
    }
  }

  @Test
  void optionsComeFromTheCallOrTheConfig() throws Exception {
    try (FakeNode node = FakeNode.storing(new FakeStore(REPLICAS));
        KvClient client = KvClient.open(List.of(node.address()),
            PATIENT.withKvOptions(new KvOptions(Consistency.ALL, 300)))) {
      client.put("k", "v");
      client.read("k", new KvOptions(Consistency.ONE, 0));

      assertEquals(List.of(new KvRequest(KvOp.PUT, "k", "v", Consistency.ALL, 300),
          new KvRequest(KvOp.READ, "k", "", Consistency.ONE, 0)), node.kvRequestsUnstamped());
    }
  }

  @Test
  void theKvAttemptTimeoutOutlastsTheCoordinatorsDeadline() {
    ClientConfig derived = ClientConfig.defaults();
    long margin = ClientConfig.KV_ATTEMPT_MARGIN_MILLIS;

    assertEquals(ClientConfig.NODE_DEFAULT_REQUEST_TIMEOUT_MILLIS + margin,
        derived.attemptTimeoutFor(KvOptions.defaults()));
    assertEquals(100 + margin,
        derived.attemptTimeoutFor(KvOptions.defaults().withTimeoutMillis(100)));
    assertEquals(KvLimits.MAX_TIMEOUT_MILLIS + margin, derived.attemptTimeoutFor(
        KvOptions.defaults().withTimeoutMillis(KvLimits.MAX_TIMEOUT_MILLIS)));
    assertEquals(250, derived.withKvAttemptTimeoutMillis(250)
        .attemptTimeoutFor(KvOptions.defaults().withTimeoutMillis(5000)));
    assertEquals(1000, derived.attemptTimeoutMillis(), "status requests keep their own");
  }

  @Test
  void optionsRejectOutOfRangeValues() {
    assertThrows(IllegalArgumentException.class, () -> new KvOptions(Consistency.ONE, -1));
    assertThrows(IllegalArgumentException.class,
        () -> new KvOptions(Consistency.ONE, KvLimits.MAX_TIMEOUT_MILLIS + 1));
    assertThrows(NullPointerException.class, () -> new KvOptions(null, 0));
    assertThrows(IllegalArgumentException.class,
        () -> ClientConfig.defaults().withKvAttemptTimeoutMillis(-1));
  }
}
