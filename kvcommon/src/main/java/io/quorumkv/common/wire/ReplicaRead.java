package io.quorumkv.common.wire;

import java.util.Objects;

/** A coordinator asks a replica for its version of {@code key}. */
public record ReplicaRead(String key, Address client, long clientRequestId) implements Message {

  public ReplicaRead {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(client, "client");
  }
}
