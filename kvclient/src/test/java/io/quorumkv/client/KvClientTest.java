package io.quorumkv.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorumkv.common.wire.Address;
import io.quorumkv.common.wire.Bundle;
import io.quorumkv.common.wire.Ack;
import io.quorumkv.common.wire.Envelope;
import io.quorumkv.common.wire.StatusReply;
import io.quorumkv.common.wire.StatusRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KvClientTest {

  /**
   * For nodes that answer: a success returns as soon as the answer arrives, so a long timeout costs
   * nothing and keeps a slow test machine from failing the test.
   */
  private static final ClientConfig PATIENT = new ClientConfig(10_000, 1);

  /** For nodes that must time out: short, so the test is quick. */
  private static final ClientConfig QUICK = new ClientConfig(100, 2);

  @Test
  void statusReturnsTheNodesReplyAndSendsFromItsOwnAddress() throws Exception {
    List<Envelope> seen = new ArrayList<>();
    try (FakeNode node = FakeNode.responding((self, request) -> {
          synchronized (seen) {
            seen.add(request);
          }
          return List.of(FakeNode.encode(self, request.requestId(),
              new StatusReply(self, FakeNode.members(2, 0), false, Map.of("wire.received", 7L))));
        });
        KvClient client = KvClient.open(List.of(node.address()), PATIENT)) {
      StatusReply reply = client.status();

      assertEquals(node.address(), reply.node());
      assertEquals(2, reply.members().size());
      assertEquals(7L, reply.counters().get("wire.received"));
      synchronized (seen) {
        assertEquals(1, seen.size());
        assertEquals(client.address(), seen.get(0).sender());
        assertTrue(seen.get(0).message() instanceof StatusRequest);
      }
      assertEquals("127.0.0.1", client.address().host());
      assertNotEquals(0, client.address().port());
    }
  }

  @Test
  void eachRequestGetsANewRequestId() throws Exception {
    List<Long> ids = new ArrayList<>();
    try (FakeNode node = FakeNode.responding((self, request) -> {
          synchronized (ids) {
            ids.add(request.requestId());
          }
          return List.of(FakeNode.encode(self, request.requestId(),
              new StatusReply(self, FakeNode.members(1, 0), false, Map.of())));
        });
        KvClient client = KvClient.open(List.of(node.address()), PATIENT)) {
      client.status();
      client.status();
      synchronized (ids) {
        assertEquals(2, ids.size());
        assertEquals(ids.get(0) + 1, ids.get(1));
      }
    }
  }

  @Test
  void ignoresAndCountsGarbageAndAnswersToOtherRequests() throws Exception {
    try (FakeNode node = FakeNode.responding((self, request) -> List.of(
            "not json".getBytes(StandardCharsets.UTF_8),
            FakeNode.encode(self, request.requestId() + 1,
                new StatusReply(self, FakeNode.members(9, 0), false, Map.of())),
            FakeNode.encode(self, request.requestId(),
                new StatusReply(self, FakeNode.members(3, 0), false, Map.of()))));
        KvClient client = KvClient.open(List.of(node.address()), PATIENT)) {
      StatusReply reply = client.status();

      assertEquals(3, reply.members().size(), "the reply with the right id wins");
      assertEquals(2, client.ignoredDatagrams());
    }
  }

  /** A node may answer in a bundle (to a port a bench used a moment ago): its part is read. */
  @Test
  void findsTheAnswerInABundle() throws Exception {
    try (FakeNode node = FakeNode.responding((self, request) -> List.of(Bundle.pack(List.of(
            FakeNode.encode(self, request.requestId() + 1,
                new StatusReply(self, FakeNode.members(9, 0), false, Map.of())),
            FakeNode.encode(self, request.requestId(),
                new StatusReply(self, FakeNode.members(3, 0), false, Map.of()))))));
        KvClient client = KvClient.open(List.of(node.address()), PATIENT)) {
      StatusReply reply = client.status();

      assertEquals(3, reply.members().size(), "the part with the right id");
      assertEquals(0, client.ignoredDatagrams());
    }
  }

  @Test
  void aReplyWithTheWrongIdOnlyIsNoAnswer() throws Exception {
    try (FakeNode node = FakeNode.responding((self, request) -> List.of(
            FakeNode.encode(self, request.requestId() + 1,
                new StatusReply(self, FakeNode.members(1, 0), false, Map.of()))));
        KvClient client = KvClient.open(List.of(node.address()), new ClientConfig(500, 2))) {
      NoNodeAnsweredException e = assertThrows(NoNodeAnsweredException.class, client::status);

      assertEquals("no node answered: " + node.address() + " (2 attempts of 500 ms each)",
          e.getMessage());
      assertEquals(2, client.ignoredDatagrams());
      assertEquals(2, node.requests());
    }
  }

  @Test
  void failsOverToTheNextNodeAndThenPrefersIt() throws Exception {
    try (SilentNode silent = new SilentNode();
        FakeNode node = FakeNode.answering(FakeNode.members(2, 0), Map.of());
        KvClient client = KvClient.open(List.of(silent.address(), node.address()),
            new ClientConfig(300, 2))) {
      assertEquals(node.address(), client.status().node());
      assertEquals(2, silent.drainCount(), "the silent node was tried attemptsPerNode times");

      assertEquals(node.address(), client.status().node());
      assertEquals(0, silent.drainCount(), "the node that answered last is asked first");
    }
  }

  @Test
  void noNodeAnsweringNamesEveryNode() throws Exception {
    Address closed = SilentNode.closedPort();
    try (SilentNode silent = new SilentNode();
        KvClient client = KvClient.open(List.of(silent.address(), closed),
            new ClientConfig(50, 1))) {
      NoNodeAnsweredException e = assertThrows(NoNodeAnsweredException.class, client::status);

      assertEquals(List.of(silent.address() + " (1 attempt of 50 ms each)",
          closed + " (port unreachable: nothing listens there)"), e.perNode());
      assertTrue(e.getMessage().startsWith("no node answered: " + silent.address()));
    }
  }

  @Test
  void aReplyOfTheWrongTypeIsAnUnexpectedReply() throws Exception {
    try (FakeNode node = FakeNode.responding((self, request) -> List.of(
            FakeNode.encode(self, request.requestId(), new Ack(List.of()))));
        KvClient client = KvClient.open(List.of(node.address()), PATIENT)) {
      UnexpectedReplyException e = assertThrows(UnexpectedReplyException.class, client::status);

      assertTrue(e.getMessage().contains("Ack where StatusReply was expected"), e.getMessage());
    }
  }

  @Test
  void configRejectsUnboundedValues() {
    assertThrows(IllegalArgumentException.class, () -> new ClientConfig(0, 1));
    assertThrows(IllegalArgumentException.class, () -> new ClientConfig(100, 0));
    assertThrows(IllegalArgumentException.class,
        () -> new ClientConfig(100, ClientConfig.MAX_ATTEMPTS_PER_NODE + 1));
  }
}
