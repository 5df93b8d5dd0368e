package io.quorumkv.common.wire;

import java.util.List;

/**
 * Push half of a full-state sync: the sender's member list (a page of it when large). The receiver
 * merges it and answers with a {@link SyncReply} of its own list. {@code join} marks the first sync
 * of a node that is joining through a seed.
 */
public record SyncRequest(boolean join, List<MemberUpdate> members) implements Message {

  public SyncRequest {
    members = Limits.boundedList("members", members, Limits.MAX_MEMBERS_PER_MESSAGE);
  }
}
