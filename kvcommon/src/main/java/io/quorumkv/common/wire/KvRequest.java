package io.quorumkv.common.wire;

import java.util.Objects;

/**
 * A client asks a node to coordinate one operation. {@code value} is empty for read and delete.
 * {@code timeoutMillis} 0 means the coordinator's default. Sizes are not checked here but by the
 * coordinator, so that an oversized key gets a clear answer instead of a dropped datagram.
 *
 * <p>{@code timestamp} is the client's hybrid-clock timestamp for a write (0: let the coordinator
 * stamp it). A write stamped by its client has the version (timestamp, client address) whichever
 * coordinator handles it, so a retry through a second coordinator, after the first applied the
 * write at some replicas, is the same write and not a second, later one; and one client's writes
 * are versioned in the order it made them, whatever the nodes' clocks.
 */
public record KvRequest(KvOp op, String key, String value, Consistency consistency,
    long timeoutMillis, long timestamp) implements Message {

  /** A request the coordinator stamps. */
  public KvRequest(KvOp op, String key, String value, Consistency consistency,
      long timeoutMillis) {
    this(op, key, value, consistency, timeoutMillis, 0);
  }

  public KvRequest {
    Objects.requireNonNull(op, "op");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(consistency, "consistency");
    if (timeoutMillis < 0) {
      throw new IllegalArgumentException("timeoutMillis must be >= 0");
    }
  }
}
