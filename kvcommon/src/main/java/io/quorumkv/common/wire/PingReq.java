package io.quorumkv.common.wire;

import java.util.List;
import java.util.Objects;

/**
 * Asks the receiver to probe {@code target} on the sender's behalf (SWIM indirect probe).
 */
public record PingReq(Address target, List<MemberUpdate> gossip) implements Message {

  public PingReq {
    Objects.requireNonNull(target, "target");
    gossip = Limits.boundedList("gossip", gossip, Limits.MAX_MEMBERS_PER_MESSAGE);
  }
}
