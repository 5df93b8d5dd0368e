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

  /** Computed once: every client request is encoded or decoded with it. */
  private final String wireName = name().toLowerCase(Locale.ROOT);

  /** {@code values()} copies its array on every call. */
  private static final Consistency[] VALUES = values();

  @JsonValue
  public String wireName() {
    return wireName;
  }

  /** Any letter case is accepted: kvclient and the scale bench pass the user's spelling on. */
  @JsonCreator
  public static Consistency fromWire(String name) {
    for (Consistency c : VALUES) {
      if (c.wireName.equals(name)) {
        return c;
      }
    }
    String lower = name.toLowerCase(Locale.ROOT);
    for (Consistency c : VALUES) {
      if (c.wireName.equals(lower)) {
        return c;
      }
    }
    throw new IllegalArgumentException("unknown consistency '" + name + "' (one, quorum or all)");
  }
}
