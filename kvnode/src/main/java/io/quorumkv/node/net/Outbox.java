package io.quorumkv.node.net;

import io.quorumkv.common.wire.Address;
import io.quorumkv.common.wire.Codec;
import io.quorumkv.common.wire.Envelope;
import io.quorumkv.common.wire.OversizedMessageException;
import io.quorumkv.node.Counters;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Datagrams a node wants sent, already encoded, in the order it asked. The core fills it; a driver
 * drains it after every call into the node and puts the bytes on the wire (or into the emulated
 * network). Bounded: when a driver falls behind, further sends are dropped and counted, as a full
 * socket buffer would.
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
  private final int capacity;
  private final ArrayDeque<Datagram> queue = new ArrayDeque<>();

  /**
   * @param capacity most datagrams held between two drains
   */
  public Outbox(Codec codec, Counters counters, int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be >= 1");
    }
    this.codec = codec;
    this.counters = counters;
    this.capacity = capacity;
  }

  /**
   * Encodes and queues {@code envelope} for {@code to}. Returns false, and counts why, when the
   * message does not fit in a datagram or the outbox is full.
   */
  public boolean send(Address to, Envelope envelope) {
    byte[] bytes;
    try {
      bytes = codec.encode(envelope);
    } catch (OversizedMessageException e) {
      counters.increment("outbox.dropped.oversized");
      return false;
    }
    if (queue.size() >= capacity) {
      counters.increment("outbox.dropped.full");
      return false;
    }
    queue.add(new Datagram(to, bytes));
    counters.increment("outbox.sent");
    return true;
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
    List<Datagram> out = new ArrayList<>(queue);
    queue.clear();
    return out;
  }
}
