package io.quorumkv.common.wire;

import java.util.Objects;

/**
 * A client asks a node to coordinate one operation. {@code value} is empty for read and delete.
 * {@code timeoutMillis} 0 means the coordinator's default. Sizes are not checked here but by the
 * coordinator, so that an oversized key gets a clear answer instead of a dropped datagram.
 */
public record KvRequest(KvOp op, String key, String value, Consistency consistency,
    long timeoutMillis) implements Message {

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
