package io.quorumkv.common.wire;

/** Why a datagram was dropped instead of decoded. Each reason has its own counter. */
public enum RejectReason {
  /** Zero bytes. */
  EMPTY("empty"),
  /** More than {@link Limits#MAX_DATAGRAM_BYTES}. */
  OVERSIZED("oversized"),
  /** Not JSON, truncated JSON, trailing garbage, or nested deeper than {@link Limits#MAX_JSON_DEPTH}. */
  MALFORMED("malformed"),
  /** A protocol version this build does not speak. */
  UNSUPPORTED_VERSION("unsupported-version"),
  /** A message type name that is not in {@link Message}'s subtype list, or none at all. */
  UNKNOWN_TYPE("unknown-type"),
  /** Well-formed JSON of a known type whose fields are missing, of the wrong type or invalid. */
  INVALID_FIELDS("invalid-fields");

  private final String counterSuffix;

  RejectReason(String counterSuffix) {
    this.counterSuffix = counterSuffix;
  }

  /** The counter this reason increments, for example {@code wire.rejected.oversized}. */
  public String counterName() {
    return "wire.rejected." + counterSuffix;
  }
}
