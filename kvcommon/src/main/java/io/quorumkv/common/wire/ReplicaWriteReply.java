package io.quorumkv.common.wire;

import java.util.Objects;

/** A replica's answer to a {@link ReplicaWrite}: applied, or refused with {@code status}. */
public record ReplicaWriteReply(KvStatus status) implements Message {

  private static final ReplicaWriteReply[] BY_STATUS =
      new ReplicaWriteReply[KvStatus.values().length];

  static {
    for (KvStatus s : KvStatus.values()) {
      BY_STATUS[s.ordinal()] = new ReplicaWriteReply(s);
    }
  }

  public ReplicaWriteReply {
    Objects.requireNonNull(status, "status");
  }

  /**
   * The one instance of each answer: a replica remembers every answer it gave for seconds
   * (to answer retries the same), so a fresh one per write was an object for each young
   * collection to copy.
   */
  public static ReplicaWriteReply of(KvStatus status) {
    return BY_STATUS[status.ordinal()];
  }
}
