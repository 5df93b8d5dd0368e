package io.quorumkv.node.emul;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorumkv.common.wire.Address;
import io.quorumkv.common.wire.Envelope;
import io.quorumkv.common.wire.MemberStatus;
import io.quorumkv.common.wire.StatusReply;
import io.quorumkv.common.wire.StatusRequest;
import io.quorumkv.node.Node;
import io.quorumkv.node.NodeConfig;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The emulated network on its own, driven through the skeleton node's one behaviour (a
 * StatusRequest is answered with a StatusReply to the datagram's source). Each test states which
 * fault it checks; all run on simulated time and are bounded by it.
 */
class EmulatedNetworkTest {

  private static final Address N1 = new Address("127.0.0.1", 7001);
  private static final Address N2 = new Address("127.0.0.1", 7002);
  private static final Address N3 = new Address("127.0.0.1", 7003);
  private static final Address CLIENT = new Address("127.0.0.1", 9001);

  /**
   * Nodes without seeds never find each other, so the only datagrams between them are the ones a
   * test sends; these tests count datagrams and must not see membership traffic.
   */
  private static EmulatedNetwork network(long seed, Address... nodes) {
    EmulatedNetwork net = new EmulatedNetwork(seed, NodeConfig.local());
    for (Address a : nodes) {
      net.addNode(a, List.of());
    }
    return net;
  }

  private static void ask(EmulatedNetwork net, Address from, Address to, long requestId) {
    net.send(from, to, Envelope.of(from, requestId, new StatusRequest()));
  }

  private static long received(EmulatedNetwork net, Address node) {
    return net.node(node).orElseThrow().counters().get("wire.received");
  }

  @Test
  void delaysStayInRangeAndReorderReplies() {
    // Goal: every delivery takes a delay within [min, max], and random delays reorder datagrams.
    EmulatedNetwork net = network(7, N1);
    net.faults().setDelay(10, 50);
    for (int i = 0; i < 100; i++) {
      ask(net, CLIENT, N1, i);
    }
    net.runFor(1_000);
    List<Received> replies = net.receivedBy(CLIENT);
    assertEquals(100, replies.size());
    List<Long> order = new ArrayList<>();
    for (Received r : replies) {
      assertTrue(r.timeMillis() >= 20 && r.timeMillis() <= 100, "round trip " + r.timeMillis());
      assertTrue(r.envelope().message() instanceof StatusReply);
      assertEquals(N1, r.from());
      order.add(r.envelope().requestId());
    }
    assertTrue(replies.stream().mapToLong(Received::timeMillis).distinct().count() > 10,
        "delays should spread over the range");
    assertNotEquals(order.stream().sorted().toList(), order, "random delays should reorder");
  }

  @Test
  void dropProbabilityOneLosesEverythingAndZeroNothing() {
    // Goal: loss probability is honoured at its two ends.
    EmulatedNetwork net = network(1, N1);
    net.faults().setDropProbability(1.0);
    for (int i = 0; i < 50; i++) {
      ask(net, CLIENT, N1, i);
    }
    net.runFor(100);
    assertEquals(0, received(net, N1));
    assertEquals(50L, net.stats().get("net.dropped.loss"));

    net.faults().setDropProbability(0.0);
    for (int i = 0; i < 50; i++) {
      ask(net, CLIENT, N1, i);
    }
    net.runFor(100);
    assertEquals(50, received(net, N1));
    assertEquals(50, net.receivedBy(CLIENT).size());
  }

  @Test
  void duplicationDeliversTwice() {
    // Goal: a duplicated datagram arrives twice; the reply to each copy is duplicated too.
    EmulatedNetwork net = network(3, N1);
    net.faults().setDuplicateProbability(1.0).setDelay(1, 5);
    ask(net, CLIENT, N1, 42);
    net.runFor(100);
    assertEquals(2, received(net, N1));
    assertEquals(4, net.receivedBy(CLIENT).size());
    assertEquals(3L, net.stats().get("net.duplicated"));
  }

  @Test
  void symmetricPartitionBlocksBothWaysUntilHealed() {
    // Goal: a partition cuts both directions; heal() restores them. The test impersonates one
    // node towards the other, so the reply travels node to node.
    EmulatedNetwork net = network(5, N1, N2);
    net.faults().partition(Set.of(N1), Set.of(N2));
    ask(net, N1, N2, 1);
    ask(net, N2, N1, 2);
    net.runFor(100);
    assertEquals(0, received(net, N1));
    assertEquals(0, received(net, N2));
    assertEquals(2L, net.stats().get("net.dropped.blocked"));

    net.faults().heal();
    ask(net, N1, N2, 3);
    net.runFor(100);
    assertEquals(1, received(net, N2), "request arrives");
    assertEquals(1, received(net, N1), "reply arrives");
  }

  @Test
  void oneWayBlockCutsOnlyOneDirection() {
    // Goal: block(from, to) drops from -> to and leaves to -> from alone.
    EmulatedNetwork net = network(6, N1, N2);
    net.faults().block(Set.of(N1), Set.of(N2));
    ask(net, N2, N1, 1); // N2 -> N1 passes; N1's reply to N2 is blocked
    net.runFor(100);
    assertEquals(1, received(net, N1));
    assertEquals(0, received(net, N2));
    ask(net, N1, N2, 2); // blocked
    net.runFor(100);
    assertEquals(0, received(net, N2));

    net.faults().heal();
    ask(net, N2, N1, 3);
    net.runFor(100);
    assertEquals(2, received(net, N1));
    assertEquals(1, received(net, N2));
  }

  @Test
  void crashSilencesANodeAndRestartBringsANewGeneration() {
    // Goal: a crashed node answers nothing and what is sent to it is counted as dropped; a
    // restart answers again and reports a higher generation.
    EmulatedNetwork net = network(8, N1);
    assertEquals(1, net.node(N1).orElseThrow().generation());
    net.crash(N1);
    assertTrue(net.node(N1).isEmpty());
    assertEquals(List.of(), net.liveAddresses());
    ask(net, CLIENT, N1, 1);
    net.runFor(100);
    assertEquals(0, net.receivedBy(CLIENT).size());
    assertEquals(1L, net.stats().get("net.dropped.dead"));

    Node restarted = net.restart(N1);
    assertEquals(2, restarted.generation());
    ask(net, CLIENT, N1, 2);
    net.runFor(100);
    List<Received> replies = net.receivedBy(CLIENT);
    assertEquals(1, replies.size());
    StatusReply reply = (StatusReply) replies.get(0).envelope().message();
    MemberStatus self = reply.members().stream().filter(m -> m.address().equals(N1))
        .findFirst().orElseThrow();
    assertEquals(2, self.generation());
    assertTrue(net.trace().lastLines().stream().anyMatch(l -> l.contains("crash " + N1)));
    assertTrue(net.trace().lastLines().stream().anyMatch(l -> l.contains("restart " + N1)));
  }

  @Test
  void malformedBytesReachTheNodeCodec() {
    // Goal: deliveries carry raw bytes, so a node's codec sees (and rejects) bad datagrams.
    EmulatedNetwork net = network(9, N1);
    net.sendRaw(CLIENT, N1, "{not json".getBytes(StandardCharsets.UTF_8));
    net.runFor(10);
    assertEquals(1, net.node(N1).orElseThrow().counters().get("wire.rejected.malformed"));
  }

  @Test
  void sameSeedSameTraceOtherSeedOtherTrace() {
    // Goal: a run is a function of its seed, faults included.
    long a = runWithRandomFaults(11);
    long b = runWithRandomFaults(11);
    long c = runWithRandomFaults(12);
    assertEquals(a, b);
    assertNotEquals(a, c);
  }

  private static long runWithRandomFaults(long seed) {
    EmulatedNetwork net = network(seed, N1, N2, N3);
    net.faults().setDropProbability(0.2).setDuplicateProbability(0.2).setDelay(1, 20);
    for (int i = 0; i < 60; i++) {
      Address to = List.of(N1, N2, N3).get(i % 3);
      net.at(i * 3L, () -> ask(net, CLIENT, to, 7));
    }
    net.at(50, () -> net.crash(N3));
    net.at(120, () -> net.restart(N3));
    net.runFor(1_000);
    assertTrue(net.trace().lineCount() > 100);
    return net.trace().hash() ^ net.receivedBy(CLIENT).size();
  }

  @Test
  void runawayRunFailsWithItsSeed() {
    // Goal: the event budget stops a run and the error names the seed that replays it.
    EmulatedNetwork net = network(4242, N1);
    net.setMaxEventsPerRun(10);
    for (int i = 0; i < 20; i++) {
      ask(net, CLIENT, N1, i);
    }
    EmulationException e = assertThrows(EmulationException.class, () -> net.runFor(1_000));
    assertTrue(e.getMessage().contains("seed=4242"), e.getMessage());
    assertTrue(e.getMessage().contains("-Dqkv.seed=4242"), e.getMessage());
    assertEquals(4242, e.seed());
  }

  @Test
  void anExceptionDuringARunIsWrappedWithSeedAndTime() {
    // Goal: whatever throws inside a run is reported with the seed and the simulated time.
    EmulatedNetwork net = network(77, N1);
    net.at(250, () -> {
      throw new IllegalStateException("boom");
    });
    EmulationException e = assertThrows(EmulationException.class, () -> net.runFor(1_000));
    assertTrue(e.getMessage().startsWith("seed=77 t=250ms"), e.getMessage());
    assertTrue(e.getCause() instanceof IllegalStateException);
  }

  @Test
  void aBrokenInvariantStopsTheRunWithItsName() {
    // Goal: invariants run after every event, and the first violation names itself and the seed.
    EmulatedNetwork net = network(31, N1);
    net.faults().setDelay(10, 10);
    net.addInvariant("client gets at most 2 replies",
        () -> assertTrue(net.receivedBy(CLIENT).size() <= 2, "too many replies"));
    for (int i = 0; i < 5; i++) {
      net.at(i * 100L, () -> ask(net, CLIENT, N1, 1));
    }
    EmulationException e = assertThrows(EmulationException.class, () -> net.runFor(1_000));
    assertTrue(e.getMessage().startsWith("seed=31 t=220ms"), e.getMessage());
    assertTrue(e.getMessage().contains("client gets at most 2 replies"), e.getMessage());
  }

  @Test
  void runUntilConditionIsBoundedByItsDeadline() {
    // Goal: the condition-driven run stops at its deadline when the condition never holds.
    EmulatedNetwork net = network(2, N1);
    assertTrue(!net.runUntil(() -> false, 5_000, 100));
    assertEquals(5_000, net.now());
    ask(net, CLIENT, N1, 1);
    assertTrue(net.runUntil(() -> !net.receivedBy(CLIENT).isEmpty(), 10_000, 1));
    assertTrue(net.now() < 5_010);
  }

  @Test
  void rejectsMisuse() {
    // Goal: the API refuses calls that would make a run meaningless.
    EmulatedNetwork net = network(1, N1);
    assertThrows(IllegalArgumentException.class, () -> net.addNode(N1, List.of()));
    assertThrows(IllegalArgumentException.class, () -> net.crash(N2));
    assertThrows(IllegalArgumentException.class, () -> net.restart(N2));
    assertThrows(IllegalArgumentException.class, () -> net.faults().setDropProbability(1.5));
    assertThrows(IllegalArgumentException.class, () -> net.faults().setDelay(5, 4));
    net.runFor(10);
    assertThrows(IllegalArgumentException.class, () -> net.at(5, () -> { }));
    ask(net, CLIENT, N1, 1);
    assertThrows(IllegalArgumentException.class, () -> net.addNode(CLIENT, List.of()));
  }
}
