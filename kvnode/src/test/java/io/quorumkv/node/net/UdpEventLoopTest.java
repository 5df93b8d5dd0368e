package io.quorumkv.node.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorumkv.common.wire.Address;
import io.quorumkv.common.wire.Bundle;
import io.quorumkv.common.wire.Codec;
import io.quorumkv.common.wire.Consistency;
import io.quorumkv.common.wire.Decoded;
import io.quorumkv.common.wire.Envelope;
import io.quorumkv.common.wire.KvOp;
import io.quorumkv.common.wire.KvReply;
import io.quorumkv.common.wire.KvRequest;
import io.quorumkv.common.wire.Limits;
import io.quorumkv.common.wire.StatusReply;
import io.quorumkv.common.wire.StatusRequest;
import io.quorumkv.node.EventSink;
import io.quorumkv.node.Node;
import io.quorumkv.node.NodeConfig;
import java.io.IOException;
import java.net.BindException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The production loop on a real loopback socket, with the real (skeleton) node: status replies,
 * bad datagrams, the receive fault, node errors and stopping. Every wait is a blocking receive
 * with a timeout; there are no sleeps.
 */
class UdpEventLoopTest {

  private static final Codec CODEC = new Codec();
  private static final int RECEIVE_TIMEOUT_MILLIS = 5000;

  private final List<DatagramSocket> clients = new ArrayList<>();
  private UdpEventLoop loop;
  private Node node;

  @AfterEach
  void tearDown() {
    clients.forEach(DatagramSocket::close);
    if (loop != null) {
      assertTrue(loop.stop(2000), "loop stops");
    }
  }

  @Test
  void answersStatusRequestWithTheSameRequestIdOnANamedLoopThread() throws IOException {
    List<String> threads = new CopyOnWriteArrayList<>();
    start((from, length) -> threads.add(Thread.currentThread().getName()));
    DatagramSocket client = client();

    Envelope reply = request(client, 42);

    assertNotEquals(0, loop.address().port(), "the real bound port is exposed");
    assertEquals(42, reply.requestId());
    assertEquals(loop.address(), reply.sender());
    StatusReply status = assertInstanceOf(StatusReply.class, reply.message());
    assertEquals(loop.address(), status.node());
    assertEquals(List.of("kvnode-loop-" + loop.address()), threads);
  }

  @Test
  void countsBadDatagramsAndKeepsAnswering() throws IOException {
    start(ReceiveFilter.ALL);
    DatagramSocket client = client();
    send(client, new byte[0]);
    send(client, "not json".getBytes(StandardCharsets.UTF_8));
    send(client, filled(Limits.MAX_DATAGRAM_BYTES)); // largest allowed size: decoded, malformed
    send(client, filled(Limits.MAX_DATAGRAM_BYTES + 1)); // one byte too many
    send(client, filled(20_000)); // truncated to the buffer by the kernel, still oversized

    StatusReply status = (StatusReply) request(client, 1).message();

    assertEquals(1L, status.counters().get("wire.rejected.empty"));
    assertEquals(2L, status.counters().get("wire.rejected.malformed"));
    assertEquals(2L, status.counters().get("wire.rejected.oversized"));
    assertEquals(6L, status.counters().get("net.received"));
    assertEquals(2, request(client, 2).requestId(), "still answering");
  }

  @Test
  void dropRateOneDropsEveryDatagramBeforeTheNode() throws IOException {
    DatagramSocket victim = client();
    DatagramSocket observer = client();
    Address observerAddress = new Address("127.0.0.1", observer.getLocalPort());
    RandomDropFilter dropAll = new RandomDropFilter(1.0, 7);
    // The observer bypasses the fault so the test can read the counters through a status reply.
    start((from, length) -> from.equals(observerAddress) || dropAll.admits(from, length));
    for (int i = 0; i < 3; i++) {
      send(victim, CODEC.encode(Envelope.of(address(victim), i, new StatusRequest())));
    }

    StatusReply status = (StatusReply) request(observer, 9).message();

    assertEquals(3L, status.counters().get("net.receive.dropped-by-fault"));
    assertEquals(1L, status.counters().get("wire.received"), "only the observer's request");
    // The loop handles datagrams in arrival order, so a reply to the victim would already be
    // queued at its socket before the observer's reply was sent.
    victim.setSoTimeout(100);
    assertThrows(SocketTimeoutException.class, () -> victim.receive(packet()));
  }

  @Test
  void exceptionFromTheNodeSideIsCountedAndTheLoopGoesOn() throws IOException {
    AtomicInteger calls = new AtomicInteger();
    start((from, length) -> {
      if (calls.getAndIncrement() == 0) {
        throw new IllegalStateException("injected failure (expected in this test)");
      }
      return true;
    });
    DatagramSocket client = client();
    send(client, CODEC.encode(Envelope.of(address(client), 1, new StatusRequest())));

    Envelope reply = request(client, 2);

    assertEquals(2, reply.requestId(), "the first request died with the exception");
    assertEquals(1L, ((StatusReply) reply.message()).counters().get("loop.errors"));
  }

  @Test
  void stopEndsTheThreadPromptlyAndClosesTheSocket() throws IOException {
    AtomicInteger iterations = new AtomicInteger();
    loop = UdpEventLoop.bind(new Address("127.0.0.1", 0));
    node = newNode(loop.address());
    loop.start(node, ReceiveFilter.ALL, iterations::incrementAndGet);
    request(client(), 1);

    long startNanos = System.nanoTime();
    assertTrue(loop.stop(2000));
    long stopMillis = (System.nanoTime() - startNanos) / 1_000_000;

    assertTrue(stopMillis < 1000, "stopped in " + stopMillis + " ms");
    assertFalse(loop.isRunning());
    assertFalse(loop.failed());
    assertTrue(iterations.get() >= 2, "the hook ran after the request and after leaving");
    assertTrue(node.counters().get("net.sent") >= 1);
    try (DatagramChannel again = DatagramChannel.open()) {
      again.bind(new InetSocketAddress("127.0.0.1", loop.address().port())); // the port is free
    }
    assertTrue(loop.stop(100), "stopping twice is harmless");
  }

  @Test
  void bindRefusesWildcardAndBusyPorts() throws IOException {
    assertThrows(IllegalArgumentException.class,
        () -> UdpEventLoop.bind(new Address("0.0.0.0", 0)));
    try (DatagramChannel busy = DatagramChannel.open()) {
      busy.bind(new InetSocketAddress("127.0.0.1", 0));
      int port = ((InetSocketAddress) busy.getLocalAddress()).getPort();
      assertThrows(BindException.class, () -> UdpEventLoop.bind(new Address("127.0.0.1", port)));
    }
  }

  @Test
  void startRefusesANodeNamedOtherThanTheBoundAddress() throws IOException {
    loop = UdpEventLoop.bind(new Address("127.0.0.1", 0));
    Node stranger = newNode(new Address("127.0.0.1", 1));
    assertThrows(IllegalArgumentException.class, () -> loop.start(stranger));
  }

  @Test
  void handlesEachMessageOfABundleAndDropsABrokenOneWhole() throws IOException {
    start(ReceiveFilter.ALL);
    DatagramSocket client = client();
    Address self = address(client);
    send(client, Bundle.pack(List.of(
        CODEC.encode(Envelope.of(self, 41, new StatusRequest())),
        CODEC.encode(Envelope.of(self, 42, new StatusRequest())))));
    List<Long> answered = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      DatagramPacket packet = packet();
      client.receive(packet);
      answered.add(assertInstanceOf(Decoded.Ok.class,
          CODEC.decode(packet.getData(), packet.getOffset(), packet.getLength()))
          .envelope().requestId());
    }
    assertEquals(List.of(41L, 42L), answered, "both parts, in order, answered plainly");
    byte[] broken = Bundle.pack(List.of(CODEC.encode(Envelope.of(self, 43, new StatusRequest()))));
    send(client, Arrays.copyOf(broken, broken.length - 1)); // its only part cut short

    StatusReply status = (StatusReply) request(client, 44).message();
    assertEquals(1L, status.counters().get("wire.bundles"));
    assertEquals(1L, status.counters().get("wire.rejected.bad-bundle"));
    assertEquals(3L, status.counters().get("wire.received"), "41, 42 and 44; never 43");
  }

  /** A client that sends bundles reads them: its answers of one turn come back as one. */
  @Test
  void answersAClientThatSentABundleInABundle() throws IOException {
    start(ReceiveFilter.ALL);
    DatagramSocket client = client();
    Address self = address(client);
    KvRequest read = new KvRequest(KvOp.READ, "k", "", Consistency.QUORUM, 1000);
    send(client, Bundle.pack(List.of(CODEC.encode(Envelope.of(self, 51, read)),
        CODEC.encode(Envelope.of(self, 52, read)))));

    DatagramPacket packet = packet();
    client.receive(packet);
    assertTrue(Bundle.isBundle(packet.getData(), packet.getOffset(), packet.getLength()),
        "one datagram for both answers");
    List<Envelope> answers = new ArrayList<>();
    assertEquals(2, Bundle.forEachPart(packet.getData(), packet.getOffset(), packet.getLength(),
        (b, o, n) -> answers.add(assertInstanceOf(Decoded.Ok.class, CODEC.decode(b, o, n))
            .envelope())));
    assertEquals(List.of(51L, 52L), answers.stream().map(Envelope::requestId).toList());
    for (Envelope answer : answers) {
      assertInstanceOf(KvReply.class, answer.message(), "a lone node answers, if only to refuse");
    }
  }

  private void start(ReceiveFilter filter) throws IOException {
    loop = UdpEventLoop.bind(new Address("127.0.0.1", 0));
    node = newNode(loop.address());
    loop.start(node, filter, () -> { });
  }

  private static Node newNode(Address self) {
    return new Node(NodeConfig.local(), self, 1, List.of(), new SplittableRandom(1),
        EventSink.NONE);
  }

  private DatagramSocket client() throws IOException {
    DatagramSocket socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
    socket.setSoTimeout(RECEIVE_TIMEOUT_MILLIS);
    clients.add(socket);
    return socket;
  }

  /** Sends a status request and returns the decoded reply (fails on timeout). */
  private Envelope request(DatagramSocket client, long requestId) throws IOException {
    send(client, CODEC.encode(Envelope.of(address(client), requestId, new StatusRequest())));
    DatagramPacket packet = packet();
    client.receive(packet);
    Decoded decoded = CODEC.decode(packet.getData(), packet.getOffset(), packet.getLength());
    return assertInstanceOf(Decoded.Ok.class, decoded).envelope();
  }

  private void send(DatagramSocket client, byte[] bytes) throws IOException {
    InetSocketAddress target = new InetSocketAddress("127.0.0.1", loop.address().port());
    client.send(new DatagramPacket(bytes, bytes.length, target));
  }

  private static Address address(DatagramSocket socket) {
    return new Address("127.0.0.1", socket.getLocalPort());
  }

  private static DatagramPacket packet() {
    return new DatagramPacket(new byte[Limits.MAX_DATAGRAM_BYTES + 1], Limits.MAX_DATAGRAM_BYTES + 1);
  }

  private static byte[] filled(int length) {
    byte[] bytes = new byte[length];
    Arrays.fill(bytes, (byte) 'x');
    return bytes;
  }
}
