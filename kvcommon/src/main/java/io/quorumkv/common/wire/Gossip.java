package io.quorumkv.common.wire;

import java.util.List;

/**
 * Dissemination-only message, sent to a few random members when there are fresh updates.
 */
public record Gossip(List<MemberUpdate> gossip) implements Message {

  public Gossip {
    gossip = Limits.boundedList("gossip", gossip, Limits.MAX_MEMBERS_PER_MESSAGE);
  }
}
