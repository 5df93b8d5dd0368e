package io.quorumkv.common.wire;

import java.util.List;

/**
 * Answer to a {@link Ping}, or forwarded by an intermediary on behalf of the pinged member.
 */
public record Ack(List<MemberUpdate> gossip) implements Message {

  public Ack {
    gossip = Limits.boundedList("gossip", gossip, Limits.MAX_MEMBERS_PER_MESSAGE);
  }
}
