package io.quorumkv.common.wire;

import java.util.List;

/**
 * Records a node pushes to a replica: stabilization sends the keys an owner asked for in an
 * {@link OfferReply}, read repair sends the newest version to stale replicas. The receiver keeps
 * each record whose version is newer than its own and, when {@code wantsAck}, answers with a
 * {@link HandoffAck} under the same request id.
 */
public record Handoff(List<KeyRecord> records, boolean wantsAck) implements Message {

  /** Most records one handoff carries; the datagram limit usually binds first. */
  public static final int MAX_RECORDS = 256;

  public Handoff {
    records = Limits.boundedList("records", records, MAX_RECORDS);
  }
}
