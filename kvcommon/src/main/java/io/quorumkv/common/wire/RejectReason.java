package io.quorumkv.common.wire;

/** Why a datagram was dropped instead of decoded. Each reason has its own counter. */
public enum RejectReason {
  /** Zero bytes (or no buffer at all). */
  EMPTY("empty"),
  /** More than {@link Limits#MAX_DATAGRAM_BYTES}, whatever the content. */
  OVERSIZED("oversized"),
  /**
   * Not one JSON object in strict UTF-8: invalid bytes, other encodings, truncated JSON, trailing
   * bytes, duplicate keys, numbers longer than 24 characters, nesting deeper than
   * {@link Limits#MAX_JSON_DEPTH}, a top-level array, string, number or literal, or a byte range
   * outside the caller's buffer.
   */
  MALFORMED("malformed"),
  /** An integer version other than {@link Envelope#CURRENT_VERSION}. */
  UNSUPPORTED_VERSION("unsupported-version"),
  /** A message whose {@code type} is missing, not a string, or not in {@link Message}'s list. */
  UNKNOWN_TYPE("unknown-type"),
  /**
   * A JSON object of the current version and a known type whose fields are missing, null, of the
   * wrong JSON type, unknown, or out of range (including a missing or non-integer version and a
   * missing or non-object message).
   */
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
