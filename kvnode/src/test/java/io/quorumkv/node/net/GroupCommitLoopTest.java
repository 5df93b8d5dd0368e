package io.quorumkv.node.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quorumkv.common.wire.Ack;
import io.quorumkv.common.wire.Address;
import io.quorumkv.common.wire.Codec;
import io.quorumkv.common.wire.Consistency;
import io.quorumkv.common.wire.Decoded;
import io.quorumkv.common.wire.Envelope;
import io.quorumkv.common.wire.KeyRecord;
import io.quorumkv.common.wire.KvOp;
import io.quorumkv.common.wire.KvReply;
import io.quorumkv.common.wire.KvRequest;
import io.quorumkv.common.wire.KvStatus;
import io.quorumkv.common.wire.Limits;
import io.quorumkv.common.wire.Message;
import io.quorumkv.common.wire.Ping;
import io.quorumkv.node.EventSink;
import io.quorumkv.node.Node;
import io.quorumkv.node.NodeConfig;
import io.quorumkv.node.storage.MemoryStorage;
import io.quorumkv.node.storage.StorageFailure;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Group commit in the production loop: while the storage has writes not yet synced, nothing the
 * node queued leaves but membership messages; the loop syncs at the end of the iteration and
 * only then sends the answer.
 * A failing sync sends nothing and ends the loop. The storage is a fake that reads, at the moment
 * it is asked to sync (on the loop thread), how many datagrams the loop has sent so far.
 */
class GroupCommitLoopTest {

  private static final Codec CODEC = new Codec();

  private UdpEventLoop loop;
  private DatagramChannel client;

  /** Memory storage whose writes stay "unsynced" until sync, which can be made to fail. */
  private final class DeferredStorage extends MemoryStorageWrapper {
    volatile boolean failSync;
    volatile long sentAtSync = -1;
    volatile long receivedAtSync = -1;
    volatile int syncs;
    volatile Node node;
    private boolean unsynced;

    @Override
    public void put(KeyRecord record) {
      super.put(record);
      unsynced = true;
    }

    @Override
    public boolean hasUnsyncedWrites() {
      return unsynced;
    }

    @Override
    public void sync() {
      sentAtSync = node.counters().get("net.sent");
      receivedAtSync = node.counters().get("net.received");
      syncs++;
      if (failSync) {
        throw new StorageFailure("sync failed (injected)");
      }
      unsynced = false;
    }
  }

  @AfterEach
  void tearDown() throws IOException {
    if (loop != null) {
      loop.stop(2000);
    }
    if (client != null) {
      client.close();
    }
  }

  @Test
  void theAnswerToAWriteLeavesOnlyAfterTheSyncThatCoversIt() throws IOException {
    DeferredStorage storage = new DeferredStorage();
    start(storage);
    send(new KvRequest(KvOp.PUT, "k", "v", Consistency.ONE, 0), 7);

    Envelope reply = receive();
    assertEquals(7, reply.requestId());
    assertEquals(KvStatus.OK, assertInstanceOf(KvReply.class, reply.message()).status());
    assertEquals(0, storage.sentAtSync, "nothing sent before the sync");
    assertEquals(1, storage.syncs);
  }

  /**
   * A ping read in the same iteration as a write is answered at once, before the sync: an ack
   * acknowledges no write, and holding it behind a loaded iteration's writes and sync made live
   * nodes look dead to their probers.
   */
  @Test
  void aPingIsAnsweredBeforeTheSyncOfTheIterationsWrites() throws IOException {
    DeferredStorage storage = new DeferredStorage();
    loop = UdpEventLoop.bind(new Address("127.0.0.1", 0));
    openClient();
    // Both wait in the node's socket before its loop starts, so that one iteration reads both.
    send(new KvRequest(KvOp.PUT, "k", "v", Consistency.ONE, 0), 7);
    send(new Ping(loop.address(), List.of()), 9);
    startLoop(storage);

    Envelope first = receive();
    Envelope second = receive();
    assertEquals(2, storage.receivedAtSync, "the write and the ping came in one iteration");
    assertEquals(9, first.requestId(), "the ack comes first");
    assertInstanceOf(Ack.class, first.message());
    assertEquals(1, storage.sentAtSync, "the ack left before the sync, the reply did not");
    assertEquals(7, second.requestId());
    assertEquals(KvStatus.OK, assertInstanceOf(KvReply.class, second.message()).status());
  }

  @Test
  void aFailedSyncSendsNothingAndStopsTheNode() throws IOException {
    DeferredStorage storage = new DeferredStorage();
    storage.failSync = true;
    start(storage);
    send(new KvRequest(KvOp.PUT, "k", "v", Consistency.ONE, 0), 8);

    assertTrue(loop.awaitTermination(5000), "the loop ends");
    assertTrue(loop.failed());
    assertNull(peek(), "the unsynced write was never acknowledged");
    assertFalse(loop.isRunning());
  }

  private void start(DeferredStorage storage) throws IOException {
    loop = UdpEventLoop.bind(new Address("127.0.0.1", 0));
    openClient();
    startLoop(storage);
  }

  private void openClient() throws IOException {
    client = DatagramChannel.open();
    client.bind(new InetSocketAddress("127.0.0.1", 0));
    client.configureBlocking(false);
  }

  private void startLoop(DeferredStorage storage) {
    Node node = new Node(NodeConfig.local(), loop.address(), 1, List.of(),
        new SplittableRandom(1), EventSink.NONE, storage);
    storage.node = node;
    loop.start(node);
  }

  private void send(Message message, long id) throws IOException {
    InetSocketAddress self = (InetSocketAddress) client.getLocalAddress();
    byte[] bytes = CODEC.encode(Envelope.of(new Address("127.0.0.1", self.getPort()), id,
        message));
    client.send(ByteBuffer.wrap(bytes),
        new InetSocketAddress("127.0.0.1", loop.address().port()));
  }

  /** What the client received so far, without waiting; null if nothing. */
  private Envelope peek() {
    try {
      ByteBuffer buffer = ByteBuffer.allocate(Limits.MAX_DATAGRAM_BYTES + 1);
      SocketAddress from = client.receive(buffer);
      if (from == null) {
        return null;
      }
      buffer.flip();
      Decoded d = CODEC.decode(buffer.array(), 0, buffer.limit());
      return assertInstanceOf(Decoded.Ok.class, d).envelope();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** Waits (at most 5 s) for one datagram. */
  private Envelope receive() throws IOException {
    try (Selector selector = Selector.open()) {
      client.register(selector, SelectionKey.OP_READ);
      long deadline = System.nanoTime() + 5_000_000_000L;
      while (System.nanoTime() < deadline) {
        selector.select(100);
        Envelope e = peek();
        if (e != null) {
          return e;
        }
      }
    }
    throw new AssertionError("no answer within 5 s");
  }

  /** {@link MemoryStorage} by delegation, so the fake above can override what it needs. */
  private static class MemoryStorageWrapper extends io.quorumkv.node.storage.ForwardingStorage {
    MemoryStorageWrapper() {
      super(new MemoryStorage());
    }
  }
}
