package io.quorumkv.common.wire;

import java.util.List;
import java.util.Objects;

/**
 * Sent by an intermediary whose probe of {@code target} got no ack in time. Lifeguard uses nacks to tell
 * "the target is silent" from "my own network is unhealthy" (no answer at all).
 */
public record Nack(Address target, List<MemberUpdate> gossip) implements Message {

  public Nack {
    Objects.requireNonNull(target, "target");
    gossip = Limits.boundedList("gossip", gossip, Limits.MAX_MEMBERS_PER_MESSAGE);
  }
}
