package io.quorumkv.common.wire;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** The outcome of a client request, as the coordinator reports it. */
public enum KvStatus {
  /** Done: enough replicas agreed. */
  OK,
  /** Read, update or delete of a key that does not exist (at enough replicas). */
  NOT_FOUND,
  /** Create of a key that already exists (at enough replicas). */
  EXISTS,
  /** Not enough replicas answered before the deadline, or too few exist. */
  UNAVAILABLE,
  /** The request itself is wrong: key or value too large, empty key, bad timeout. */
  INVALID,
  /** The coordinator has too many requests in flight; try again or another node. */
  OVERLOADED;

  /** Computed once: every answer and replica acknowledgement is encoded or decoded with it. */
  private final String wireName = name().toLowerCase(Locale.ROOT).replace('_', '-');

  /** {@code values()} copies its array on every call. */
  private static final KvStatus[] VALUES = values();

  @JsonValue
  public String wireName() {
    return wireName;
  }

  @JsonCreator
  public static KvStatus fromWire(String name) {
    for (KvStatus s : VALUES) {
      if (s.wireName.equals(name)) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown status '" + name + "'");
  }
}
