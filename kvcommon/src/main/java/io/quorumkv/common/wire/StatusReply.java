package io.quorumkv.common.wire;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.List;

/**
 * A node's view of the cluster: its member list (itself included) and its counters, by dotted
 * name (for example {@code wire.rejected.malformed}). {@code truncated} says the member list was
 * cut to fit one datagram.
 */
public record StatusReply(
    Address node, List<MemberStatus> members, boolean truncated, Map<String, Long> counters)
    implements Message {

  /** Most counters one reply carries. */
  public static final int MAX_COUNTERS = 128;

  public StatusReply {
    Objects.requireNonNull(node, "node");
    members = Limits.boundedList("members", members, Limits.MAX_MEMBERS_PER_MESSAGE);
    Objects.requireNonNull(counters, "counters");
    if (counters.size() > MAX_COUNTERS) {
      throw new IllegalArgumentException("at most " + MAX_COUNTERS + " counters");
    }
    counters = java.util.Collections.unmodifiableMap(new TreeMap<>(counters));
  }
}
