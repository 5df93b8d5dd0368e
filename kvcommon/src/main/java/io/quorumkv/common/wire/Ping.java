package io.quorumkv.common.wire;

import java.util.List;
import java.util.Objects;

/**
 * Direct probe of {@code target}; answered by an {@link Ack} with the same request id.
 */
public record Ping(Address target, List<MemberUpdate> gossip) implements Message {

  public Ping {
    Objects.requireNonNull(target, "target");
    gossip = Limits.boundedList("gossip", gossip, Limits.MAX_MEMBERS_PER_MESSAGE);
  }
}
