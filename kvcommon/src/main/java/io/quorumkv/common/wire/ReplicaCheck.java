package io.quorumkv.common.wire;

import io.quorumkv.common.time.Version;
import java.util.Objects;

/**
 * Phase one of a conditional write (create, update or delete): a coordinator asks a replica
 * whether the write's condition holds there. The replica answers with a {@link ReplicaWriteReply}
 * (ok, or the refusal: exists, not found) and logs its outcome, but stores nothing. Once enough
 * replicas said ok, the coordinator sends the write itself ({@link ReplicaCommit}); when enough
 * refused, nothing was stored anywhere.
 *
 * <p>Why two phases: a replica applying a conditional write at once may be one that missed an
 * earlier write (a lost datagram). Its copy of the refused write would carry the newest version,
 * so an update answered "not found" would bring a deleted key back, and a create answered
 * "exists" would overwrite the value. {@code client} and {@code clientRequestId} identify the
 * client's request: a replica answers each once, and repeats with its first answer.
 */
public record ReplicaCheck(KvOp op, String key, String value, Version version, Address client,
    long clientRequestId) implements Message {

  public ReplicaCheck {
    Objects.requireNonNull(op, "op");
    if (op != KvOp.CREATE && op != KvOp.UPDATE && op != KvOp.DELETE) {
      throw new IllegalArgumentException("only create, update and delete are checked, not " + op);
    }
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(client, "client");
  }
}
