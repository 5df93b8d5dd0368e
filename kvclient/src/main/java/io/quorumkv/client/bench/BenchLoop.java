package io.quorumkv.client.bench;

import io.quorumkv.common.time.HybridClock;
import io.quorumkv.common.wire.Address;
import io.quorumkv.common.wire.Bundle;
import io.quorumkv.common.wire.Codec;
import io.quorumkv.common.wire.Consistency;
import io.quorumkv.common.wire.Decoded;
import io.quorumkv.common.wire.Envelope;
import io.quorumkv.common.wire.KvOp;
import io.quorumkv.common.wire.KvReply;
import io.quorumkv.common.wire.KvRequest;
import io.quorumkv.common.wire.KvStatus;
import io.quorumkv.common.wire.Limits;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import java.util.random.RandomGenerator;

/**
 * The benchmark's engine: one thread, one UDP socket, up to {@code inFlight} requests outstanding,
 * each resent (same request id, next node of its route) when its attempt times out. The socket is
 * not connected, since requests go to many nodes; a dead node therefore costs its requests an
 * attempt timeout each, as it would cost any client.
 *
 * <p>Requests issued in one turn leave together at its end, one datagram per node
 * ({@link RequestCoalescer}), and answers may arrive bundled likewise.
 *
 * <p>A request id is {@code (sequence << 10) | slot}, so a reply finds its slot without a map and
 * a late reply to a finished request (whose slot now holds a newer id) is told apart and ignored.
 */
final class BenchLoop implements AutoCloseable {

  private static final int SLOT_BITS = 10;
  /** How often outstanding requests are checked for a passed attempt deadline. */
  private static final long TIMEOUT_SCAN_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
  /** Most datagrams read per wake-up before sending more and checking deadlines. */
  private static final int MAX_RECEIVES_PER_TURN = 256;

  /** What a phase sends: the operation and key index of its {@code seq}-th request. */
  interface Source {
    /** Fills {@code next}; false once the phase has nothing more to send. */
    boolean next(long seq, Next next);
  }

  /** The request a {@link Source} chose. */
  static final class Next {
    KvOp op;
    long keyIndex;
  }

  private static final class Slot {
    long requestId = -1;
    KvOp op;
    String key;
    int pick;
    int attempt;
    long startNanos;
    long attemptDeadlineNanos;
    byte[] datagram;
  }

  private final Codec codec = new Codec();
  private final DatagramChannel channel;
  private final Selector selector;
  private final Address self;
  private final ByteBuffer receiveBuffer = ByteBuffer.allocate(Limits.MAX_DATAGRAM_BYTES + 1);
  private final Map<Address, InetSocketAddress> resolved = new HashMap<>();
  private final HybridClock clock = new HybridClock();
  private final Router router;
  private final KeySpace keys;
  private final String value;
  private final Consistency consistency;
  private final long timeoutMillis;
  private final long attemptNanos;
  private final int attempts;
  private final RandomGenerator random;
  private final RequestCoalescer coalescer;
  private long sequence;
  /** Answers settled so far in the current {@link #receive} call. */
  private int settled;

  /**
   * @param attemptMillis how long one attempt waits for its answer
   * @param coalesce whether the requests of one turn leave bundled per node
   */
  BenchLoop(Router router, KeySpace keys, String value, Consistency consistency,
      long timeoutMillis, long attemptMillis, int attempts, RandomGenerator random,
      boolean coalesce) throws IOException {
    this.router = router;
    this.keys = keys;
    this.value = value;
    this.consistency = consistency;
    this.timeoutMillis = timeoutMillis;
    this.attemptNanos = TimeUnit.MILLISECONDS.toNanos(attemptMillis);
    this.attempts = attempts;
    this.random = random;
    this.coalescer = new RequestCoalescer(coalesce);
    this.sequence = random.nextLong(1L << 40);
    channel = DatagramChannel.open();
    try {
      channel.bind(new InetSocketAddress("127.0.0.1", 0));
      // As a node's (UdpEventLoop): the kernel's default holds only ~200 answers, and a pause of
      // this process (a collection) would lose some and count them as retries.
      channel.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
      channel.configureBlocking(false);
      selector = Selector.open();
      channel.register(selector, SelectionKey.OP_READ);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
    InetSocketAddress local = (InetSocketAddress) channel.getLocalAddress();
    self = new Address(local.getAddress().getHostAddress(), local.getPort());
  }

  /**
   * Runs one phase until {@code source} runs dry or {@code endNanos} passes, then waits for the
   * requests still out (each bounded by its attempts). {@code ratePerSecond} 0 sends as fast as
   * slots free up. {@code tick} is called about once a second with the current time.
   *
   * @return the phase's elapsed nanoseconds, first send to last answer (or last give-up)
   */
  long run(Source source, int inFlight, long endNanos, long ratePerSecond, BenchStats stats,
      LongConsumer tick) throws IOException {
    Slot[] slots = new Slot[Integer.highestOneBit(Math.max(1, inFlight - 1)) << 1];
    for (int i = 0; i < inFlight; i++) {
      slots[i] = new Slot();
    }
    Next next = new Next();
    long start = System.nanoTime();
    long intervalNanos = ratePerSecond == 0 ? 0 : TimeUnit.SECONDS.toNanos(1) / ratePerSecond;
    long issued = 0;
    int outstanding = 0;
    boolean exhausted = false;
    long nextScan = start + TIMEOUT_SCAN_NANOS;
    long nextTick = start + TimeUnit.SECONDS.toNanos(1);
    long lastAnswer = start;
    while (!exhausted || outstanding > 0) {
      long now = System.nanoTime();
      // Send into every free slot whose request is due.
      for (int i = 0; i < inFlight && !exhausted; i++) {
        Slot slot = slots[i];
        if (slot.requestId >= 0) {
          continue;
        }
        long due = start + issued * intervalNanos;
        if (due > now) {
          break;
        }
        if (now >= endNanos || !source.next(issued, next)) {
          exhausted = true;
          break;
        }
        issue(slot, i, next, intervalNanos == 0 ? now : due, now);
        issued++;
        outstanding++;
      }
      if (outstanding > 0 && now >= nextScan) {
        int gaveUp = expire(slots, inFlight, now, stats);
        if (gaveUp > 0) {
          // A request given up on ends when its last attempt does: a phase of timeouts only
          // lasted its attempts, not a nanosecond.
          outstanding -= gaveUp;
          lastAnswer = now;
        }
        nextScan = now + TIMEOUT_SCAN_NANOS;
      }
      coalescer.flush(channel);
      if (now >= nextTick) {
        tick.accept(now);
        nextTick += TimeUnit.SECONDS.toNanos(1);
      }
      long wait = Math.min(nextTick, outstanding > 0 ? nextScan : Long.MAX_VALUE);
      if (!exhausted && outstanding < inFlight) {
        wait = Math.min(wait, Math.min(endNanos, start + issued * intervalNanos));
      }
      int answers = receive(slots, wait - System.nanoTime(), stats);
      if (answers > 0) {
        outstanding -= answers;
        lastAnswer = System.nanoTime();
      }
    }
    return Math.max(1, lastAnswer - start);
  }

  private void issue(Slot slot, int index, Next next, long startNanos, long now)
      throws IOException {
    slot.requestId = (sequence++ << SLOT_BITS) | index;
    slot.op = next.op;
    slot.key = keys.key(next.keyIndex);
    slot.pick = random.nextInt(1 << 16);
    slot.attempt = 0;
    slot.startNanos = startNanos;
    long timestamp = next.op == KvOp.READ ? 0 : clock.now(System.currentTimeMillis());
    KvRequest request = new KvRequest(next.op, slot.key, next.op == KvOp.READ ? "" : value,
        consistency, timeoutMillis, timestamp);
    slot.datagram = codec.encode(Envelope.of(self, slot.requestId, request));
    send(slot, now);
  }

  private void send(Slot slot, long now) throws IOException {
    Address target = router.target(slot.key, slot.attempt, slot.pick);
    InetSocketAddress to = resolved.computeIfAbsent(target,
        a -> new InetSocketAddress(a.host(), a.port()));
    slot.attemptDeadlineNanos = now + attemptNanos;
    coalescer.send(channel, to, slot.datagram);
  }

  /** Resends or gives up on requests whose attempt ran out; returns how many it gave up. */
  private int expire(Slot[] slots, int inFlight, long now, BenchStats stats) throws IOException {
    int gaveUp = 0;
    for (int i = 0; i < inFlight; i++) {
      Slot slot = slots[i];
      if (slot.requestId < 0 || slot.attemptDeadlineNanos > now) {
        continue;
      }
      if (slot.attempt + 1 < attempts) {
        slot.attempt++;
        stats.retried();
        send(slot, now);
      } else {
        stats.timedOut();
        free(slot);
        gaveUp++;
      }
    }
    return gaveUp;
  }

  /**
   * Waits up to {@code waitNanos} for datagrams and settles the requests they answer; returns how
   * many it settled.
   */
  private int receive(Slot[] slots, long waitNanos, BenchStats stats) throws IOException {
    if (waitNanos > 0) {
      // Round up: a sub-millisecond wait must still block rather than spin (0 blocks forever).
      selector.select(Math.max(1, (waitNanos + 999_999) / 1_000_000));
    } else {
      selector.selectNow();
    }
    selector.selectedKeys().clear();
    settled = 0;
    for (int i = 0; i < MAX_RECEIVES_PER_TURN; i++) {
      receiveBuffer.clear();
      if (channel.receive(receiveBuffer) == null) {
        break;
      }
      long now = System.nanoTime();
      byte[] bytes = receiveBuffer.array();
      int length = receiveBuffer.position();
      if (Bundle.isBundle(bytes, 0, length)) {
        if (Bundle.forEachPart(bytes, 0, length, (b, o, n) -> answer(slots, b, o, n, now, stats))
            < 0) {
          stats.ignoredDatagram();
        }
      } else {
        answer(slots, bytes, 0, length, now, stats);
      }
    }
    return settled;
  }

  /** One answer (a datagram, or a part of a bundle): settles its request if it is still out. */
  private void answer(Slot[] slots, byte[] bytes, int offset, int length, long now,
      BenchStats stats) {
    Decoded decoded = codec.decode(bytes, offset, length);
    Slot slot = decoded instanceof Decoded.Ok ok ? slotOf(slots, ok.envelope()) : null;
    if (slot == null) {
      stats.ignoredDatagram();
      return;
    }
    settle(slot, ((Decoded.Ok) decoded).envelope(), now - slot.startNanos, stats);
    free(slot);
    settled++;
  }

  private static Slot slotOf(Slot[] slots, Envelope envelope) {
    long id = envelope.requestId();
    Slot slot = slots[(int) (id & (slots.length - 1))];
    return slot != null && slot.requestId == id ? slot : null;
  }

  private static void settle(Slot slot, Envelope envelope, long nanos, BenchStats stats) {
    if (!(envelope.message() instanceof KvReply reply)) {
      stats.answered(slot.op, nanos, BenchStats.Outcome.ERROR, "unexpected-reply");
    } else if (reply.status() == KvStatus.OK) {
      stats.answered(slot.op, nanos, BenchStats.Outcome.OK, null);
    } else if (reply.status() == KvStatus.NOT_FOUND && slot.op == KvOp.READ) {
      stats.answered(slot.op, nanos, BenchStats.Outcome.MISS, null);
    } else {
      stats.answered(slot.op, nanos, BenchStats.Outcome.ERROR,
          reply.status().wireName().toLowerCase(Locale.ROOT));
    }
  }

  private static void free(Slot slot) {
    slot.requestId = -1;
    slot.key = null;
    slot.datagram = null;
  }

  @Override
  public void close() throws IOException {
    try {
      selector.close();
    } finally {
      channel.close();
    }
  }
}
