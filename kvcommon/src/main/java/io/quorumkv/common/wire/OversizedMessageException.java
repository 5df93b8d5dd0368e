package io.quorumkv.common.wire;

/** Thrown by {@link Codec#encode} when a message would not fit in one datagram. */
public final class OversizedMessageException extends RuntimeException {

  private final int size;

  public OversizedMessageException(int size) {
    super("message of " + size + " bytes exceeds the datagram limit of "
        + Limits.MAX_DATAGRAM_BYTES + " bytes");
    this.size = size;
  }

  /** The encoded size in bytes. */
  public int size() {
    return size;
  }
}
