package io.quorumkv.client;

import io.quorumkv.common.wire.Address;
import io.quorumkv.common.wire.Bundle;
import io.quorumkv.common.wire.Codec;
import io.quorumkv.common.wire.Decoded;
import io.quorumkv.common.wire.Envelope;
import io.quorumkv.common.wire.KvReply;
import io.quorumkv.common.wire.KvRequest;
import io.quorumkv.common.wire.LocateRequest;
import io.quorumkv.common.wire.MemberState;
import io.quorumkv.common.wire.MemberStatus;
import io.quorumkv.common.wire.Message;
import io.quorumkv.common.wire.StatusReply;
import io.quorumkv.common.wire.StatusRequest;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

/**
 * A stand-in for a node in client tests: a UDP socket on 127.0.0.1 served by one test thread. It
 * records each decodable client request (status, key-value, locate) and answers it with whatever
 * datagrams its responder returns (the requests of a bundle each, their answers bundled); it stops when
 * closed, or after {@link #MAX_REQUESTS} requests so a runaway client cannot keep it busy.
 */
final class FakeNode implements AutoCloseable {

  static final Codec CODEC = new Codec();

  static {
    // Pay Jackson's first-use cost (serializer lookup, class loading) here, before any test
    // starts a client timer, so that short attempt timeouts measure the protocol and not warm-up.
    Address warm = new Address("127.0.0.1", 1);
    byte[] bytes = encode(warm, 1, new StatusReply(warm, members(2, 1), false, Map.of("a", 1L)));
    CODEC.decode(bytes);
    CODEC.decode(encode(warm, 1, new StatusRequest()));
  }

  /** Most requests one fake node serves. */
  static final int MAX_REQUESTS = 10_000;

  /** Builds the answer datagrams from the fake node's address and the request. */
  interface Responder extends BiFunction<Address, Envelope, List<byte[]>> {
  }

  private final DatagramChannel channel;
  private final Address address;
  private final Thread thread;
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicInteger bundles = new AtomicInteger();
  private final List<Envelope> received = new ArrayList<>();

  private FakeNode(Responder responder) throws IOException {
    channel = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
    address = new Address("127.0.0.1", ((InetSocketAddress) channel.getLocalAddress()).getPort());
    thread = new Thread(() -> serve(responder), "fake-node-" + address.port());
    thread.setDaemon(true);
    thread.start();
  }

  /** A node that answers every status request with {@code members} and {@code counters}. */
  static FakeNode answering(List<MemberStatus> members, Map<String, Long> counters)
      throws IOException {
    return new FakeNode((self, request) -> List.of(
        encode(self, request.requestId(), new StatusReply(self, members, false, counters))));
  }

  /** A node that answers every key-value request with {@code reply}. */
  static FakeNode replying(KvReply reply) throws IOException {
    return new FakeNode((self, request) -> List.of(encode(self, request.requestId(), reply)));
  }

  /** A fake coordinator over an in-memory map: see {@link FakeStore}. */
  static FakeNode storing(FakeStore store) throws IOException {
    return new FakeNode((self, request) -> List.of(
        encode(self, request.requestId(), store.answer(self, request.message()))));
  }

  /** A node whose answers are whatever {@code responder} returns. */
  static FakeNode responding(Responder responder) throws IOException {
    return new FakeNode(responder);
  }

  /** Members as seen by a node with {@code alive} alive and {@code suspect} suspect members. */
  static List<MemberStatus> members(int alive, int suspect) {
    List<MemberStatus> members = new ArrayList<>();
    for (int i = 0; i < alive + suspect; i++) {
      MemberState state = i < alive ? MemberState.ALIVE : MemberState.SUSPECT;
      members.add(new MemberStatus(new Address("127.0.0.1", 7001 + i), state, 1000 + i, 0,
          i == 0 ? -1 : 100L * i));
    }
    return members;
  }

  static byte[] encode(Address sender, long requestId, Message message) {
    return CODEC.encode(Envelope.of(sender, requestId, message));
  }

  Address address() {
    return address;
  }

  /** Requests received so far (client requests that decoded). */
  int requests() {
    return requests.get();
  }

  /** The envelopes of the requests received so far, in arrival order. */
  List<Envelope> received() {
    synchronized (received) {
      return List.copyOf(received);
    }
  }

  /** The request ids received so far, in arrival order. */
  List<Long> receivedIds() {
    return received().stream().map(Envelope::requestId).toList();
  }

  /** The key-value requests received so far, in arrival order. */
  List<KvRequest> kvRequests() {
    return received().stream().map(Envelope::message).filter(KvRequest.class::isInstance)
        .map(KvRequest.class::cast).toList();
  }

  /**
   * The key-value requests received so far with their timestamps cleared, for comparing with
   * expected requests; fails unless every write was stamped by the client and no read was.
   */
  List<KvRequest> kvRequestsUnstamped() {
    return kvRequests().stream().map(r -> {
      if ((r.op() == io.quorumkv.common.wire.KvOp.READ) != (r.timestamp() == 0)) {
        throw new AssertionError("writes, and only writes, carry the client's timestamp: " + r);
      }
      return new KvRequest(r.op(), r.key(), r.value(), r.consistency(), r.timeoutMillis());
    }).toList();
  }

  private static boolean isClientRequest(Message message) {
    return message instanceof StatusRequest || message instanceof KvRequest
        || message instanceof LocateRequest;
  }

  private void serve(Responder responder) {
    ByteBuffer buffer = ByteBuffer.allocate(65_536);
    try {
      while (requests.get() < MAX_REQUESTS) {
        buffer.clear();
        SocketAddress from = channel.receive(buffer);
        buffer.flip();
        List<byte[]> answers = new ArrayList<>();
        if (Bundle.isBundle(buffer.array(), 0, buffer.limit())) {
          // As a node does: each part handled alone, and the answers to a client that sends
          // bundles bundled too.
          bundles.incrementAndGet();
          Bundle.forEachPart(buffer.array(), 0, buffer.limit(),
              (b, o, n) -> answers.addAll(handle(responder, b, o, n)));
          for (byte[] datagram : Bundle.datagrams(answers)) {
            channel.send(ByteBuffer.wrap(datagram), from);
          }
        } else {
          for (byte[] answer : handle(responder, buffer.array(), 0, buffer.limit())) {
            channel.send(ByteBuffer.wrap(answer), from);
          }
        }
      }
    } catch (ClosedChannelException e) {
      // Closed by the test: the normal way to stop.
    } catch (IOException e) {
      throw new IllegalStateException("fake node " + address + " failed", e);
    }
  }

  private List<byte[]> handle(Responder responder, byte[] bytes, int offset, int length) {
    Decoded decoded = CODEC.decode(bytes, offset, length);
    if (!(decoded instanceof Decoded.Ok ok) || !isClientRequest(ok.envelope().message())) {
      return List.of();
    }
    synchronized (received) {
      received.add(ok.envelope());
    }
    requests.incrementAndGet();
    return responder.apply(address, ok.envelope());
  }

  /** Bundles received so far. */
  int bundles() {
    return bundles.get();
  }

  @Override
  public void close() throws IOException, InterruptedException {
    channel.close();
    thread.join(5_000);
  }
}
