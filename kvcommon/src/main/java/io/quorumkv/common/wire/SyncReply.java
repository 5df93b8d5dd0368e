package io.quorumkv.common.wire;

import java.util.List;

/**
 * Pull half of a full-state sync: the receiver's member list in answer to a {@link SyncRequest}.
 */
public record SyncReply(List<MemberUpdate> members) implements Message {

  public SyncReply {
    members = Limits.boundedList("members", members, Limits.MAX_MEMBERS_PER_MESSAGE);
  }
}
