package io.quorumkv.common.wire;

import java.util.Objects;

/**
 * A replica's version of a key: {@code record} is what it stores, a tombstone when the key was
 * deleted, or absent (a tombstone of {@link io.quorumkv.common.time.Version#ZERO}) when it never
 * held the key. The coordinator compares versions to find the newest and the stale replicas.
 */
public record ReplicaReadReply(KeyRecord record) implements Message {

  public ReplicaReadReply {
    Objects.requireNonNull(record, "record");
  }
}
