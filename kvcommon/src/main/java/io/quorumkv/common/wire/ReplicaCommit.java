package io.quorumkv.common.wire;

import java.util.Objects;

/**
 * Phase two of a conditional write, sent once enough replicas accepted its {@link ReplicaCheck}:
 * store {@code record} (a value, or the tombstone of a delete) if it is newer than the one held,
 * and acknowledge with a {@link ReplicaWriteReply}. It goes to every replica, those that refused
 * the check included, which brings them up to date. Logs nothing (the check logged the outcome),
 * and is applied once per client request ({@code client}, {@code clientRequestId}), however many
 * coordinators send it.
 */
public record ReplicaCommit(KeyRecord record, Address client, long clientRequestId)
    implements Message {

  public ReplicaCommit {
    Objects.requireNonNull(record, "record");
    Objects.requireNonNull(client, "client");
  }
}
