package io.quorumkv.common.wire;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * A member's state as SWIM knows it. ALIVE and SUSPECT members are in the cluster; DEAD (failed,
 * declared by others) and LEFT (departed gracefully, declared by itself) are out of it until the
 * node comes back with a higher incarnation or a new generation.
 */
public enum MemberState {
  ALIVE,
  SUSPECT,
  DEAD,
  LEFT;

  /** True for the states that count as cluster members (they are probed and own keys). */
  public boolean isInCluster() {
    return this == ALIVE || this == SUSPECT;
  }

  /** Computed once: gossip carries member states in every ping and ack. */
  private final String wireName = name().toLowerCase(Locale.ROOT);

  /** {@code values()} copies its array on every call. */
  private static final MemberState[] VALUES = values();

  @JsonValue
  public String wireName() {
    return wireName;
  }

  @JsonCreator
  public static MemberState fromWire(String name) {
    for (MemberState s : VALUES) {
      if (s.wireName.equals(name)) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown member state '" + name + "'");
  }
}
