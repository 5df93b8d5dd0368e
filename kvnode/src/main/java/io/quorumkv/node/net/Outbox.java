package io.quorumkv.node.net;

import io.quorumkv.common.wire.Ack;
import io.quorumkv.common.wire.Address;
import io.quorumkv.common.wire.Bundle;
import io.quorumkv.common.wire.Codec;
import io.quorumkv.common.wire.Envelope;
import io.quorumkv.common.wire.Gossip;
import io.quorumkv.common.wire.KvReply;
import io.quorumkv.common.wire.Limits;
import io.quorumkv.common.wire.Message;
import io.quorumkv.common.wire.Nack;
import io.quorumkv.common.wire.OversizedMessageException;
import io.quorumkv.common.wire.Ping;
import io.quorumkv.common.wire.PingReq;
import io.quorumkv.common.wire.ReplicaCheck;
import io.quorumkv.common.wire.ReplicaCommit;
import io.quorumkv.common.wire.ReplicaRead;
import io.quorumkv.common.wire.ReplicaReadReply;
import io.quorumkv.common.wire.ReplicaWrite;
import io.quorumkv.common.wire.ReplicaWriteReply;
import io.quorumkv.common.wire.SyncReply;
import io.quorumkv.common.wire.SyncRequest;
import io.quorumkv.node.Counters;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Datagrams a node wants sent, already encoded, in the order it asked. The core fills it; a driver
 * drains it after every call into the node and puts the bytes on the wire (or into the emulated
 * network). Bounded: when a driver falls behind, further sends are dropped and counted, as a full
 * socket buffer would.
 *
 * <p>Membership messages (SWIM's probes, acks, gossip and syncs) speak of no write, so under
 * group commit a driver may send them before the storage's sync ({@link #drainSyncFree}); every
 * other datagram may acknowledge a write and waits for the sync.
 */
public final class Outbox {

  /** One datagram to send. */
  public record Datagram(Address to, byte[] bytes) {
    public Datagram {
      Objects.requireNonNull(to, "to");
      Objects.requireNonNull(bytes, "bytes");
    }
  }

  private final Codec codec;
  private final Counters counters;
  private final Counters.Counter sent;
  private final Counters.Counter bundles;
  private final Counters.Counter bundled;
  private final Counters.Counter answerBundles;
  private final int capacity;
  /**
   * A queued datagram, whether it may leave before the storage's next sync, whether it may share
   * a datagram with others to the same node, and whether it answers a client (which may share
   * one if the client speaks bundles, as known when the datagram leaves).
   */
  private record Queued(Datagram datagram, boolean syncFree, boolean bundleable,
      boolean clientAnswer) {
  }

  private final ArrayDeque<Queued> queue = new ArrayDeque<>();
  /**
   * The envelope encoded last and its bytes: a coordinator sends one envelope to each replica of
   * a key, and it is encoded once. By identity (envelopes are immutable); the bytes are only
   * read after (sent, or copied into a bundle), so the datagrams may share them.
   */
  private Envelope lastEnvelope;
  private byte[] lastBytes;
  private final BundleSpeakers speakers = new BundleSpeakers();

  /**
   * @param capacity most datagrams held between two drains
   */
  public Outbox(Codec codec, Counters counters, int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be >= 1");
    }
    this.codec = codec;
    this.counters = counters;
    this.sent = counters.counter("outbox.sent");
    this.bundles = counters.counter("outbox.bundles");
    this.bundled = counters.counter("outbox.bundled");
    this.answerBundles = counters.counter("outbox.answer-bundles");
    this.capacity = capacity;
  }

  /**
   * Encodes and queues {@code envelope} for {@code to}. Returns false, and counts why, when the
   * message does not fit in a datagram or the outbox is full.
   */
  public boolean send(Address to, Envelope envelope) {
    byte[] bytes;
    if (envelope == lastEnvelope) {
      bytes = lastBytes;
    } else {
      try {
        bytes = codec.encode(envelope);
      } catch (OversizedMessageException e) {
        counters.increment("outbox.dropped.oversized");
        return false;
      }
      lastEnvelope = envelope;
      lastBytes = bytes;
    }
    if (queue.size() >= capacity) {
      counters.increment("outbox.dropped.full");
      return false;
    }
    Message m = envelope.message();
    queue.add(new Queued(new Datagram(to, bytes), isMembership(m), isReplicaProtocol(m),
        m instanceof KvReply));
    sent.increment();
    return true;
  }

  /**
   * {@code from} sent this node a well-formed bundle, so it reads them: from now on answers to its
   * key-value requests may be bundled too ({@link BundleSpeakers}).
   */
  public void heardBundleFrom(Address from) {
    speakers.heard(from);
  }

  /** Datagrams waiting to be sent. */
  public int size() {
    return queue.size();
  }

  /** Most datagrams held between two drains. */
  public int capacity() {
    return capacity;
  }

  /** True when nothing waits to be sent. */
  public boolean isEmpty() {
    return queue.isEmpty();
  }

  /** Removes and returns everything queued, oldest first. */
  public List<Datagram> drain() {
    List<Datagram> out = new ArrayList<>(queue.size());
    for (Queued q : queue) {
      out.add(q.datagram());
    }
    queue.clear();
    return out;
  }

  /**
   * Removes and returns everything queued, oldest first, with the replica protocol's messages to
   * one node, and the answers to a client that sends bundles itself ({@link #heardBundleFrom}),
   * packed into {@link Bundle}s up to {@link Limits#MAX_DATAGRAM_BYTES}: a bundle takes the place
   * of its first message, so the messages to each address keep their order. Other messages
   * (membership, and the answers to a client that has sent no bundle) go alone. A bundle of one
   * is sent as the plain message.
   */
  public List<Datagram> drainBundled() {
    List<Datagram> out = new ArrayList<>(queue.size());
    Map<Address, Packing> open = new HashMap<>();
    List<Packing> packings = new ArrayList<>();
    for (Queued q : queue) {
      Address to = q.datagram().to();
      Packing p = q.bundleable() || q.clientAnswer() ? open.get(to) : null;
      // An open packing to a client means it speaks bundles: one lookup per client and drain.
      if (!q.bundleable() && (!q.clientAnswer() || p == null && !speakers.speaks(to))) {
        out.add(q.datagram());
        continue;
      }
      byte[] bytes = q.datagram().bytes();
      if (p == null || p.size + Bundle.PART_OVERHEAD + bytes.length > Limits.MAX_DATAGRAM_BYTES) {
        p = new Packing(to, out.size());
        open.put(to, p);
        packings.add(p);
        out.add(null); // its place, filled below
      }
      p.parts.add(bytes);
      p.size += Bundle.PART_OVERHEAD + bytes.length;
      p.answers |= q.clientAnswer();
    }
    queue.clear();
    for (Packing p : packings) {
      if (p.parts.size() == 1) {
        out.set(p.index, new Datagram(p.to, p.parts.get(0)));
      } else {
        out.set(p.index, new Datagram(p.to, Bundle.pack(p.parts)));
        bundles.increment();
        bundled.add(p.parts.size());
        if (p.answers) {
          answerBundles.increment();
        }
      }
    }
    return out;
  }

  /** A bundle being filled: its destination, its place in the drained list and its parts. */
  private static final class Packing {
    final Address to;
    final int index;
    final List<byte[]> parts = new ArrayList<>();
    int size = 1;
    /** Whether it carries answers to a client. */
    boolean answers;

    Packing(Address to, int index) {
      this.to = to;
      this.index = index;
    }
  }

  /**
   * Removes and returns, oldest first, the membership datagrams, which acknowledge no write and
   * need not wait for a sync; the others stay queued in their order.
   */
  public List<Datagram> drainSyncFree() {
    List<Datagram> out = new ArrayList<>();
    queue.removeIf(q -> q.syncFree() && out.add(q.datagram()));
    return out;
  }

  /** Messages only nodes exchange, many at a time under load: these may be bundled. */
  private static boolean isReplicaProtocol(Message m) {
    return m instanceof ReplicaWrite || m instanceof ReplicaWriteReply || m instanceof ReplicaRead
        || m instanceof ReplicaReadReply || m instanceof ReplicaCheck || m instanceof ReplicaCommit;
  }

  private static boolean isMembership(Message m) {
    return m instanceof Ping || m instanceof Ack || m instanceof PingReq || m instanceof Nack
        || m instanceof Gossip || m instanceof SyncRequest || m instanceof SyncReply;
  }
}
