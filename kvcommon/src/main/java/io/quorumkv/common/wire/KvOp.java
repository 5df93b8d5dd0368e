package io.quorumkv.common.wire;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * The key-value operations, with the seed's semantics plus an upsert: {@code create} inserts and
 * fails where the key exists, {@code update} and {@code delete} fail where it does not,
 * {@code put} inserts or overwrites, {@code read} returns the newest value.
 */
public enum KvOp {
  CREATE,
  READ,
  UPDATE,
  DELETE,
  PUT;

  /** Computed once: it is asked for on every request encoded or decoded. */
  private final String wireName = name().toLowerCase(Locale.ROOT);

  /** True for operations that carry a value. */
  public boolean carriesValue() {
    return this == CREATE || this == UPDATE || this == PUT;
  }

  @JsonValue
  public String wireName() {
    return wireName;
  }

  /** {@code values()} copies its array on every call. */
  private static final KvOp[] VALUES = values();

  @JsonCreator
  public static KvOp fromWire(String name) {
    for (KvOp op : VALUES) {
      if (op.wireName.equals(name)) {
        return op;
      }
    }
    throw new IllegalArgumentException("unknown operation '" + name + "'");
  }
}
