package io.quorumkv.common.wire;

import java.util.List;
import java.util.Objects;

/** The key's replicas in preference order (primary first), as the answering node's ring says. */
public record LocateReply(String key, List<Address> replicas) implements Message {

  public LocateReply {
    Objects.requireNonNull(key, "key");
    replicas = Limits.boundedList("replicas", replicas, Limits.MAX_MEMBERS_PER_MESSAGE);
  }
}
