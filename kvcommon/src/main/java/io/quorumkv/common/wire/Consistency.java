package io.quorumkv.common.wire;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * How many replicas must agree before a coordinator answers: one, the configured quorum (R for
 * reads, W for writes; 2 of 3 by default), or all N.
 */
public enum Consistency {
  ONE,
  QUORUM,
  ALL;

  /** Replicas required out of {@code n}, given the configured quorum for this kind of request. */
  public int required(int n, int quorum) {
    switch (this) {
      case ONE:
        return 1;
      case QUORUM:
        return Math.min(n, quorum);
      case ALL:
        return n;
      default:
        throw new IllegalStateException(name());
    }
  }

  @JsonValue
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  @JsonCreator
  public static Consistency fromWire(String name) {
    for (Consistency c : values()) {
      if (c.wireName().equals(name.toLowerCase(Locale.ROOT))) {
        return c;
      }
    }
    throw new IllegalArgumentException("unknown consistency '" + name + "' (one, quorum or all)");
  }
}
