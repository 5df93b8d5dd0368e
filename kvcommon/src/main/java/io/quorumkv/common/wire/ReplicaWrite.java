package io.quorumkv.common.wire;

import io.quorumkv.common.time.Version;
import java.util.Objects;

/**
 * A coordinator asks a replica to apply a write. {@code client} and {@code clientRequestId}
 * identify the client's request: a replica applies each request once, whichever coordinator
 * forwards it and however often, and answers repeats with its first answer.
 */
public record ReplicaWrite(KvOp op, String key, String value, Version version, Address client,
    long clientRequestId) implements Message {

  public ReplicaWrite {
    Objects.requireNonNull(op, "op");
    if (op == KvOp.READ) {
      throw new IllegalArgumentException("a read is not a write");
    }
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(client, "client");
  }
}
