package io.quorumkv.common.wire;

import java.util.Objects;

/** A replica's answer to a {@link ReplicaWrite}: applied, or refused with {@code status}. */
public record ReplicaWriteReply(KvStatus status) implements Message {

  public ReplicaWriteReply {
    Objects.requireNonNull(status, "status");
  }
}
