package io.quorumkv.common.wire;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

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

  /** Longest counter name. */
  public static final int MAX_COUNTER_NAME_LENGTH = 100;

  public StatusReply {
    Objects.requireNonNull(node, "node");
    members = Limits.boundedList("members", members, Limits.MAX_MEMBERS_PER_MESSAGE);
    Objects.requireNonNull(counters, "counters");
    if (counters.size() > MAX_COUNTERS) {
      throw new IllegalArgumentException("at most " + MAX_COUNTERS + " counters");
    }
    for (Map.Entry<String, Long> counter : counters.entrySet()) {
      checkCounterName(counter.getKey());
      if (counter.getValue() == null) {
        throw new IllegalArgumentException("counter '" + counter.getKey() + "' has no value");
      }
    }
    counters = Collections.unmodifiableMap(new TreeMap<>(counters));
  }

  /**
   * Counter names are dotted words made by the code, so anything outside printable ASCII came
   * from a broken or hostile peer; refusing it keeps control characters out of an operator's
   * terminal and unpaired surrogates out of the encoder.
   */
  private static void checkCounterName(String name) {
    if (name == null || name.isEmpty() || name.length() > MAX_COUNTER_NAME_LENGTH) {
      throw new IllegalArgumentException(
          "counter names must have 1.." + MAX_COUNTER_NAME_LENGTH + " characters");
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c <= 0x20 || c >= 0x7f) {
        throw new IllegalArgumentException("counter name has a character outside printable ASCII");
      }
    }
  }
}
